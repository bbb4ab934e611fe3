import { Option, type Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { App } from '../app.ts';
import type { QueryResult } from '../query/index.ts';
import { renderTable } from './render-table.ts';

/** A readable report of one answer: the answer, the SQL, the rows, and how it was produced. */
export function formatAskResult(result: QueryResult): string {
  const usage = Object.entries(result.usage)
    .map(
      ([model, entry]) =>
        `${model}: ${entry.calls} call${entry.calls === 1 ? '' : 's'}, ${entry.inputTokens}→${entry.outputTokens} tokens${entry.estimated ? ' (estimated)' : ''}`,
    )
    .join('; ');
  const cost = result.costUsd === null ? 'unknown (no price for this model)' : `$${result.costUsd.toFixed(6)}`;
  return [
    result.answer,
    '',
    'SQL:',
    `  ${result.sql.replace(/\n/g, '\n  ')}`,
    '',
    renderTable(
      result.columns.map((column) => column.name),
      result.rows.slice(0, 50),
    ),
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ', truncated' : ''}${result.rows.length > 50 ? ', first 50 shown' : ''})`,
    '',
    `prompt: ${result.prompt} v${result.promptVersion} (label ${result.label}, ${result.routing.reason}${result.promptIsFallback ? ', local fallback' : ''})`,
    `model: ${result.model} (tier ${result.tier}${
      result.attempts.length > 1
        ? `, after ${result.attempts
            .slice(0, -1)
            .map((attempt) => `${attempt.tier}: ${attempt.reason}`)
            .join(', ')}`
        : ''
    })`,
    ...result.warnings.map((warning) => `warning: ${warning}`),
    'steps:',
    ...result.steps.map(
      (step) =>
        `  ${step.index}. ${step.tool} ${JSON.stringify(step.arguments).slice(0, 120)} -> ${step.summary.slice(0, 120)} (${step.durationMs} ms)`,
    ),
    `usage: ${usage}`,
    `cost: ${cost}`,
    `latency: ${result.latency.totalMs} ms total, ${result.latency.llmMs} ms model, ${result.latency.dbMs} ms database`,
    `cache: ${result.cached === false ? 'miss' : `hit (${result.cached === 'sql' ? 'SQL re-run for fresh rows' : 'stored rows'}, entry ${Math.round((result.cacheAgeMs ?? 0) / 1000)} s old)`}`,
    `trace: ${result.traceId}`,
  ].join('\n');
}

export function registerAskCommand(program: Command, context: CliContext): void {
  const { print, withApp } = context;
  program
    .command('ask <datasource> <question>')
    .description('ask one question: the agent finds the tables, writes and runs SQL, and answers')
    .option('--label <label>', 'use this prompt label (the CLI has the admin scope)')
    .option('--user <id>', 'route as this user (prompt experiments)')
    .option('--session <id>', 'group this question with others of one conversation (traces)')
    .option('--json', 'print the full result as JSON')
    .addOption(
      new Option('--cache <mode>', 'use the result cache, bypass it, or refresh the entry')
        .choices(['use', 'bypass', 'refresh'])
        .default('use'),
    )
    .action(
      async (
        datasource: string,
        question: string,
        options: { label?: string; user?: string; session?: string; json?: boolean; cache: 'use' | 'bypass' | 'refresh' },
      ) =>
        withApp(
          async (app) => {
            const result = await app.queries.ask({
              datasource,
              question,
              userId: options.user,
              sessionId: options.session,
              label: options.label,
              labelAllowed: true,
              allowUrl: true,
              cache: options.cache,
            });
            print(options.json ? JSON.stringify(result, null, 2) : formatAskResult(result));
          },
          { warm: datasource, asks: true, spoolTraces: true },
        ),
    );
}
