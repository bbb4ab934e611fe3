import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { App } from '../app.ts';
import { InvalidInputError } from '../errors/index.ts';
import type { ExampleStatus, KnowledgeCheckReport, KnowledgeExample } from '../knowledge/index.ts';
import { exitCodeOf } from './exit-codes.ts';
import { renderTable } from './render-table.ts';

// Spelled out here: importing the knowledge room's values would load YAML and zod with every command.
const statuses = ['candidate', 'verified', 'rejected'] as const satisfies readonly ExampleStatus[];

/** `knowledge check` and `knowledge examples …`: a datasource's knowledge file and its example library. */
export function registerKnowledgeCommand(program: Command, context: CliContext): void {
  const { print, withApp } = context;
  // Who vouched for an example when --by is not given: the user running the command.
  const defaultBy = () => context.io.env.USER || context.io.env.USERNAME || null;
  const knowledge = program
    .command('knowledge')
    .description('business knowledge per datasource (knowledge/<id>.yaml): check it, and grow its example library');

  knowledge
    .command('check <datasource>')
    .description(`check the knowledge file against the live schema; exits ${exitCodeOf('knowledge_invalid')} when anything does not fit`)
    .option('--json', 'print the report as JSON')
    .action(async (id: string, options: { json?: boolean }) =>
      withApp(
        async (app) => {
          const datasource = await app.datasources.get(id);
          const meta = await app.datasources.schema(id);
          const { knowledgeCheckReport } = await import('../knowledge/index.ts');
          const report = await knowledgeCheckReport(app.knowledge, datasource, meta);
          print(options.json ? JSON.stringify(report, null, 2) : describeReport(report));
          if (!report.parses || report.problems.length > 0) context.exitCode = exitCodeOf('knowledge_invalid');
        },
        { warm: id },
      ),
    );

  const examples = knowledge.command('examples').description('the example library: questions with the SQL that answers them');

  examples
    .command('list <datasource>')
    .description('the examples of a datasource, optionally of one status')
    .option('--status <status>', `only this status: ${statuses.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (id: string, options: { status?: string; json?: boolean }) =>
      withApp(async (app) => {
        const status = statusOption(options.status);
        const listed = await app.knowledge.listExamples(configured(app, id), status);
        if (options.json) {
          print(JSON.stringify(listed, null, 2));
          return;
        }
        print(
          renderTable(
            ['id', 'status', 'question', 'by', 'source'],
            listed.map((example) => [example.id, example.status, example.question, example.verified_by ?? '', example.source ?? '']),
            60,
          ),
        );
        print(`(${listed.length} example${listed.length === 1 ? '' : 's'})`);
      }),
    );

  examples
    .command('add <datasource>')
    .description('add a verified example; its SQL must pass the guard and return rows')
    .requiredOption('--question <text>', 'the question, as a user would ask it')
    .requiredOption('--sql <statement>', 'the SQL that answers it')
    .option('--by <name>', 'who vouches for it (default: $USER)')
    .action(async (id: string, options: { question: string; sql: string; by?: string }) =>
      withApp(
        async (app) => {
          const datasource = await app.datasources.get(id);
          const example = await app.knowledge.addExample(datasource, {
            question: options.question,
            sql: options.sql,
            status: 'verified',
            by: options.by ?? defaultBy(),
          });
          print(`added ${describeExample(example)}`);
        },
        { warm: id },
      ),
    );

  for (const [command, status, verb] of [
    ['approve', 'verified', 'approved'],
    ['reject', 'rejected', 'rejected'],
  ] as const) {
    examples
      .command(`${command} <datasource> <id>`)
      .description(`mark an example ${status} (with who and when)`)
      .option('--by <name>', 'who decides (default: $USER)')
      .action(async (datasourceId: string, exampleId: string, options: { by?: string }) =>
        withApp(async (app) => {
          const example = await app.knowledge.setStatus(configured(app, datasourceId), exampleId, status, options.by ?? defaultBy());
          print(`${verb} ${describeExample(example)}`);
        }),
      );
  }
}

/**
 * A configured datasource as the example commands need it: looked up (an unknown id is datasource_not_found),
 * not opened, since they only read and write its file; so they work while a running service holds an
 * embedded database.
 */
function configured(app: App, id: string) {
  const config = app.datasources.resolve(id);
  return { id: config.id, config };
}

function statusOption(value: string | undefined): ExampleStatus | undefined {
  if (value === undefined) return undefined;
  const status = statuses.find((candidate) => candidate === value);
  if (!status) throw new InvalidInputError(`--status must be one of ${statuses.join(', ')}; got "${value}".`, { field: 'status' });
  return status;
}

function describeExample(example: KnowledgeExample): string {
  return `${example.id} (${example.status}${example.verified_by ? ` by ${example.verified_by}` : ''}): ${example.question}`;
}

function describeReport(report: KnowledgeCheckReport): string {
  const lines = [`${report.datasource}: ${report.file} (schema ${report.schemaVersion})`];
  if (!report.parses) lines.push('the file does not parse: none of it is used');
  else {
    const { glossary, metrics, joinHints, examples } = report.counts;
    lines.push(
      `in use: ${glossary} glossary terms, ${metrics} metrics, ${joinHints} join hints, examples ${statuses
        .map((status) => `${examples[status]} ${status}`)
        .join(', ')}`,
    );
  }
  if (report.problems.length === 0) lines.push('no problems');
  else
    lines.push(
      `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`,
      ...report.problems.map((problem) => `  - ${problem}`),
    );
  return lines.join('\n');
}
