import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { App } from '../app.ts';
import { InvalidInputError } from '../errors/index.ts';
import { TraceNotFoundError } from '../errors/index.ts';
import type { TraceSummary } from '../tracing/local-store/index.ts';
import { parseSince } from '../tracing/local-store/parse-since.ts';
import { renderTable } from './render-table.ts';
import { requireTraceStore } from './require-trace-store.ts';

const defaultLimit = 50;
const maximumLimit = 1000;

/** `--limit`: a whole number from 1 to {@link maximumLimit}; InvalidInputError naming `--limit` otherwise. */
function parseLimit(value: string | undefined): number {
  if (value === undefined) return defaultLimit;
  const limit = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > maximumLimit) {
    throw new InvalidInputError(`--limit must be a whole number from 1 to ${maximumLimit}; got "${value}".`, { field: 'limit' });
  }
  return limit;
}

/** One row of the `traces list` table; empty values read `-`. */
function traceRow(trace: TraceSummary, formatDuration: (ms: number) => string): string[] {
  const tokens = (value: number) => value.toLocaleString('en-US');
  return [
    trace.traceId,
    // Second precision is enough to tell traces apart by eye; the full instant is in --json.
    trace.startTime.replace(/\.\d+Z$/, 'Z'),
    formatDuration(trace.durationMs),
    trace.userId ?? '-',
    trace.label ?? '-',
    trace.promptVersion === null ? '-' : `v${trace.promptVersion}`,
    trace.model ?? '-',
    `$${trace.totalCostUsd.toFixed(4)}`,
    `${tokens(trace.inputTokens)}→${tokens(trace.outputTokens)}`,
    // ✗ the request failed; ~ it was answered after a failed step (an escalated tier, a retried SQL).
    trace.failed ? '✗' : trace.hasError ? '~' : '',
  ];
}

/** The `traces` sub-commands: read the local span store in the app database. */
export function registerTracesCommand(program: Command, context: CliContext): void {
  const { print, withApp } = context;
  const traces = program
    .command('traces')
    .description('traces recorded in the local span store (the app database; on unless SQLAGENT_LOCAL_TRACES=false)');

  traces
    .command('list')
    .description('recent traces, newest first, with duration, cost, tokens and an error mark (✗)')
    .option(
      '--since <when>',
      'only traces started since then: a duration back from now (30m, 24h, 7d) or an ISO date/time (UTC unless it has a zone)',
    )
    .option('--user <id>', 'only traces of this user')
    .option('--label <label>', 'only traces with this prompt label')
    .option('--limit <n>', `at most this many traces (1 to ${maximumLimit})`, String(defaultLimit))
    .option('--json', 'print the trace summaries as JSON')
    .action(async (options: { since?: string; user?: string; label?: string; limit?: string; json?: boolean }) => {
      // Bad options fail before the app database is opened.
      const since = options.since === undefined ? undefined : parseSince(options.since, { name: '--since' });
      const limit = parseLimit(options.limit);
      await withApp(async (app) => {
        const store = await requireTraceStore(app);
        const summaries = await store.listTraces({ since, user: options.user, label: options.label, limit });
        const { formatDuration } = await import('../tracing/local-store/index.ts');
        if (options.json) {
          print(JSON.stringify(summaries, null, 2));
          return;
        }
        print(
          renderTable(
            ['trace', 'start (UTC)', 'duration', 'user', 'label', 'prompt', 'model', 'cost', 'tokens in→out', 'error'],
            summaries.map((summary) => traceRow(summary, formatDuration)),
          ),
        );
        const more = summaries.length === limit ? `; there may be more: raise --limit (at most ${maximumLimit}) or narrow --since` : '';
        print(`(${summaries.length} trace${summaries.length === 1 ? '' : 's'}, newest first${more})`);
      });
    });

  traces
    .command('show <traceId>')
    .description(
      'one trace as a tree of its spans with durations, costs, tokens and errors (give the full id as `traces list` prints it; prefixes are not accepted)',
    )
    .option('--json', 'print the trace tree (root, children, and the flat span list) as JSON')
    .action(async (traceId: string, options: { json?: boolean }) =>
      withApp(async (app) => {
        const store = await requireTraceStore(app);
        const tree = await store.getTrace(traceId.trim());
        if (tree === null) throw new TraceNotFoundError(traceId.trim());
        print(options.json ? JSON.stringify(tree, null, 2) : (await import('../tracing/local-store/index.ts')).renderTraceTree(tree));
      }),
    );
}
