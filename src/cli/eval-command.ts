import { Option, type Command } from 'commander';
import { writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { InvalidInputError } from '../errors/index.ts';
import type { EvalReport, EvalRunRequest, RunComparison } from '../evals/index.ts';
import type { CliContext } from './cli-context.ts';
import { createEvalProgress } from './eval-progress.ts';
import { exitCodeOf } from './exit-codes.ts';
import { renderTable } from './render-table.ts';

/** Exit code when a label is below `--fail-under` (a CI gate). */
export const belowThresholdExitCode = 23;
/** Exit code when a run was interrupted (Ctrl-C); resume it with `--resume`. */
const interruptedExitCode = 130;

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
];
const repeatable = (value: string, previous: string[] = []) => [...previous, value];
const integer = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidInputError(`--${name} must be a whole number; got "${value}".`, { field: name });
  return Number(value);
};
const fraction = (value: string) => {
  const number = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || number > 1)
    throw new InvalidInputError(`--fail-under is an accuracy from 0 to 1 (e.g. 0.7); got "${value}".`, { field: 'fail-under' });
  return number;
};

interface RunFlags {
  dataset?: string[];
  labels?: string[];
  engine?: 'pglite' | 'postgres' | 'mysql';
  datasourceUrl?: string[];
  server?: string;
  predictions?: string;
  concurrency: number;
  limit?: number;
  repeat: number;
  tag?: string[];
  failUnder?: number;
  itemTimeout: number;
  resume?: string;
  publish?: boolean;
  json?: boolean;
}

/** `sqlagent eval …`: run, score, compare, validate, import and list evals. */
export function registerEvalCommand(program: Command, context: CliContext): void {
  const { print, note } = context;
  const config = () => context.config();
  const command = program
    .command('eval')
    .description('evals: execution accuracy of prompt labels on fixture databases, compared with significance');

  const runOptions = (sub: Command) =>
    sub
      .option('-d, --dataset <names>', 'datasets by name (evals/datasets/<name>.yaml) or path; comma-separated or repeated', list)
      .addOption(
        new Option('--engine <engine>', 'put the fixtures on this engine (default: the configured datasources, embedded PGlite)').choices([
          'pglite',
          'postgres',
          'mysql',
        ]),
      )
      .option(
        '--datasource-url <url>',
        'the database of a datasource: <datasource>=<url>, or one URL when the cases use one datasource (repeatable)',
        repeatable,
      )
      .option('--concurrency <n>', 'items in flight at once', integer('concurrency'), 4)
      .option('--limit <n>', 'at most this many cases of each dataset', integer('limit'))
      .option('--tag <tags>', 'only cases with one of these tags (comma-separated or repeated)', list)
      .option('--fail-under <accuracy>', 'exit with code 23 when a label scores below this accuracy (0–1): a CI gate', fraction)
      .option('--item-timeout <ms>', 'an item with no answer after this long is an error', integer('item-timeout'), 120_000)
      .option('--publish', 'also copy the reports to <reportsDir>/latest/ (the committed result)')
      .option('--json', 'print the whole report as JSON');

  runOptions(command.command('run'))
    .description('ask the agent every case under every label (cache bypassed) and score execution accuracy')
    .option('-l, --labels <labels>', 'prompt labels of agent/db_agent to compare; the first is the baseline', list)
    .option('--server <url>', 'ask a running service over HTTP instead (admin token from SQLAGENT_ADMIN_TOKEN)')
    .option('--repeat <k>', 'run every item k times and report the spread', integer('repeat'), 1)
    .option('--resume <runId>', 'continue an interrupted run without redoing its finished items')
    .action(async (flags: RunFlags) => runCommand(context, await config(), flags, 'run'));

  runOptions(command.command('score'))
    .description('score SQL from any system ({"id", "sql"} per line) with the same comparator and report, without the agent')
    .requiredOption('--predictions <file>', 'a JSONL file of {"id": "<case id>", "sql": "<statement>"}')
    .action(async (flags: RunFlags) => runCommand(context, await config(), flags, 'score'));

  command
    .command('compare <before> <after>')
    .description('the regressions and improvements between two runs (run ids, run folders or report.json files)')
    .option(
      '--label <pairs>',
      'compare these labels (a label, or <before>:<after>; comma-separated); default: the labels both runs have',
      list,
    )
    .option('--json', 'print JSON')
    .action(async (before: string, after: string, flags: { label?: string[]; json?: boolean }) => {
      const { compareRuns } = await import('../evals/index.ts');
      const reportsDirectory = (await config()).evals.reportsDir;
      const pairs = flags.label?.map((entry) => {
        const [first, second] = entry.split(':');
        return { before: first, after: second ?? first };
      });
      const comparison = compareRuns(await loadReport(before, reportsDirectory), await loadReport(after, reportsDirectory), pairs);
      print(flags.json ? JSON.stringify(comparison, null, 2) : formatRunComparison(comparison));
    });

  command
    .command('validate')
    .description('run every gold query on PGlite, Postgres and MariaDB/MySQL and check they agree')
    .option('-d, --dataset <names>', 'datasets (default: every dataset in evals/datasets)', list)
    .option(
      '--engines <engines>',
      'engines to check (default pglite,postgres,mysql; servers from SQLAGENT_EVAL_POSTGRES_URL / SQLAGENT_EVAL_MYSQL_URL)',
      list,
    )
    .option('--json', 'print JSON')
    .action(async (flags: { dataset?: string[]; engines?: string[]; json?: boolean }) => {
      const evals = await import('../evals/index.ts');
      const settings = await config();
      const names = flags.dataset ?? (await evals.listDatasetFiles(settings.evals.datasetsDir)).map((entry) => entry.file);
      if (names.length === 0) throw new InvalidInputError(`There are no datasets in ${settings.evals.datasetsDir}.`, { field: 'dataset' });
      const datasets = await evals.loadDatasets(names, settings.evals.datasetsDir);
      const engines = (flags.engines ?? ['pglite', 'postgres', 'mysql']).map((engine) => {
        if (!(evals.evalEngines as readonly string[]).includes(engine))
          throw new InvalidInputError(`--engines: "${engine}" is not one of ${evals.evalEngines.join(', ')}.`, { field: 'engines' });
        return engine as (typeof evals.evalEngines)[number];
      });
      const result = await evals.validateDatasets({
        config: settings,
        datasets,
        engines,
        serverUrls: evals.evalServerUrls(context.io.env),
        log: note,
      });
      if (flags.json) print(JSON.stringify(result, null, 2));
      else {
        for (const validation of result.cases) {
          for (const problem of validation.problems) print(`FAIL ${validation.dataset}/${validation.caseId}: ${problem}`);
          for (const warning of validation.warnings) print(`warn ${validation.dataset}/${validation.caseId}: ${warning}`);
        }
        print(
          `${result.cases.length} cases in ${datasets.map((dataset) => dataset.name).join(', ')} checked on ${engines.join(', ')}: ${result.cases.length - result.failed} passed, ${result.failed} failed${result.warned ? `, ${result.warned} with warnings` : ''}.`,
        );
      }
      if (result.failed > 0) context.exitCode = 1;
    });

  command
    .command('import <file>')
    .description('convert a Spider or BIRD file (question, query/SQL, db_id) into an eval dataset')
    .addOption(new Option('--format <format>', 'the file format').choices(['spider', 'bird']).makeOptionMandatory())
    .requiredOption('--name <name>', 'the new dataset name (written to evals/datasets/<name>.yaml)')
    .option('--datasource-map <map>', '<db_id>=<datasource> for every db_id in the file (repeatable, or comma-separated)', list)
    .addOption(
      new Option('--evidence <mode>', "BIRD's evidence: append it to the question as a hint, or drop it")
        .choices(['append', 'drop'])
        .default('append'),
    )
    .option('--out <file>', 'where to write the dataset (default evals/datasets/<name>.yaml)')
    .option('--force', 'overwrite an existing file')
    .action(
      async (
        file: string,
        flags: {
          format: 'spider' | 'bird';
          name: string;
          datasourceMap?: string[];
          evidence: 'append' | 'drop';
          out?: string;
          force?: boolean;
        },
      ) => {
        const { importBenchmark } = await import('../evals/index.ts');
        const datasourceMap: Record<string, string> = {};
        for (const entry of flags.datasourceMap ?? []) {
          const match = /^([^=]+)=(.+)$/.exec(entry);
          if (!match) throw new InvalidInputError(`--datasource-map ${entry}: use <db_id>=<datasource>.`, { field: 'datasource-map' });
          datasourceMap[match[1]] = match[2];
        }
        const result = await importBenchmark(file, { format: flags.format, name: flags.name, datasourceMap, evidence: flags.evidence });
        const out = flags.out ?? path.join((await config()).evals.datasetsDir, `${flags.name}.yaml`);
        if (
          !flags.force &&
          (await stat(out).then(
            () => true,
            () => false,
          ))
        )
          throw new InvalidInputError(`${out} exists; pass --force to overwrite it.`, { field: 'out' });
        await writeFile(out, result.yaml);
        print(
          `Wrote ${out}: ${result.cases.length} cases (${Object.entries(result.byDatabase)
            .map(([id, count]) => `${id} → ${datasourceMap[id]}: ${count}`)
            .join(', ')}). Check the gold SQL on your databases with: sqlagent eval validate --dataset ${out}`,
        );
      },
    );

  command
    .command('list')
    .description('the runs in the reports folder, newest first')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const { listRuns, percent } = await import('../evals/index.ts');
      const runs = await listRuns((await config()).evals.reportsDir);
      if (flags.json) {
        print(JSON.stringify(runs, null, 2));
        return;
      }
      print(
        renderTable(
          ['run', 'created', 'complete', 'datasets', 'labels'],
          runs.map((run) => [
            run.runId,
            run.createdAt,
            run.complete ? 'yes' : 'no',
            run.datasets.join(','),
            run.labels.map((label) => `${label.label} ${percent(label.accuracy)}`).join(', '),
          ]),
          60,
        ),
      );
    });
}

async function runCommand(context: CliContext, config: Readonly<Config>, flags: RunFlags, mode: 'run' | 'score'): Promise<void> {
  const { print, note } = context;
  const [evals, { createEvalAgent, evalResultSink }] = await Promise.all([import('../evals/index.ts'), import('../app.ts')]);
  const request: EvalRunRequest = {
    datasets: flags.dataset ?? [],
    labels: flags.labels ?? [],
    engine: flags.engine ?? null,
    datasourceUrls: flags.datasourceUrl ?? [],
    server: flags.server ?? null,
    predictions: mode === 'score' ? (flags.predictions ?? null) : null,
    concurrency: flags.concurrency,
    limit: flags.limit ?? null,
    repeat: flags.repeat ?? 1,
    tags: flags.tag ?? [],
    failUnder: flags.failUnder ?? null,
    itemTimeoutMs: flags.itemTimeout,
    resume: flags.resume ?? null,
    publish: Boolean(flags.publish),
  };
  const progress = await createEvalProgress(context.io.terminal, context.io.err);
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(interruptedExitCode);
    progress.stop();
    note('\nInterrupted: finishing the report of what is done (Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await evals.runEvalSession(request, {
      config,
      createAgent: async (datasources) => createEvalAgent(config, datasources),
      adminToken: config.server.adminToken ?? null,
      langfuse: await evalResultSink(config),
      renderHtml: async (report) => (await import('../evals/report/render-html-report.ts')).renderHtmlReport(report),
      serverUrls: evals.evalServerUrls(context.io.env),
      onEvent: (event) => progress.onEvent(event),
      log: note,
      signal: controller.signal,
    });
    progress.stop();
    const { report } = result;
    if (flags.json) print(JSON.stringify(report, null, 2));
    else print(formatReportSummary(report, result.directory, evals));
    if (result.langfuse) note(result.langfuse);
    // Stopped by a fault of the setup: that fault's exit code (e.g. 6, the database went away); by Ctrl-C: 130.
    if (!report.complete) context.exitCode = report.stoppedBy ? exitCodeOf(report.stoppedBy.code) : interruptedExitCode;
    else if (report.gate && !report.gate.passed) context.exitCode = belowThresholdExitCode;
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
  }
}

/** The terminal summary: the label table, the comparisons, the notes and where the reports are. */
export function formatReportSummary(
  report: EvalReport,
  directory: string,
  evals: Pick<typeof import('../evals/index.ts'), 'labelRows'>,
): string {
  const { header, rows } = evals.labelRows(report.labels);
  const lines = [
    '',
    renderTable(header, rows, 60),
    '',
    ...report.comparisons.map((comparison) => `• ${comparison.sentence}`),
    ...report.notes.filter((text) => !report.comparisons.some((comparison) => comparison.sentence === text)).map((text) => `Note: ${text}`),
    ...(report.gate
      ? [
          `Gate (accuracy ≥ ${(report.gate.threshold * 100).toFixed(1)}%): ${report.gate.passed ? 'passed' : `FAILED for ${report.gate.failing.join(', ')}`}`,
        ]
      : []),
    '',
    `Run ${report.runId}: ${report.items.length} items in ${(report.durationMs / 1000).toFixed(1)} s. Reports: ${path.join(directory, 'report.md')}, report.html, report.json`,
  ];
  return lines.join('\n');
}

function formatRunComparison(comparison: RunComparison): string {
  const lines = [`${comparison.before} → ${comparison.after}`];
  for (const label of comparison.labels) {
    lines.push('', label.sentence);
    if (label.regressions.length) {
      lines.push(
        'Regressions:',
        renderTable(
          ['case', 'question', 'before SQL', 'after', 'why'],
          label.regressions.map((change) => [
            `${change.dataset}/${change.caseId}`,
            change.question,
            change.before.sql ?? '-',
            change.after.sql ?? '-',
            `${change.after.outcome}: ${change.after.reason ?? ''}`,
          ]),
          50,
        ),
      );
    }
    if (label.improvements.length) {
      lines.push(
        'Improvements:',
        renderTable(
          ['case', 'question', 'before SQL', 'after SQL'],
          label.improvements.map((change) => [
            `${change.dataset}/${change.caseId}`,
            change.question,
            change.before.sql ?? '-',
            change.after.sql ?? '-',
          ]),
          50,
        ),
      );
    }
  }
  if (comparison.onlyBefore || comparison.onlyAfter)
    lines.push(
      '',
      `Not compared: ${comparison.onlyBefore} cases only in ${comparison.before}, ${comparison.onlyAfter} only in ${comparison.after}.`,
    );
  return lines.join('\n');
}

/** A report by run id (in the reports folder), run folder, or report.json path. */
async function loadReport(reference: string, reportsDirectory: string): Promise<EvalReport> {
  const { readReport } = await import('../evals/index.ts');
  const { readFile } = await import('node:fs/promises');
  if (reference.endsWith('.json')) return JSON.parse(await readFile(reference, 'utf8')) as EvalReport;
  if (reference.includes('/') || reference.includes(path.sep))
    return readReport(path.dirname(path.resolve(reference)), path.basename(path.resolve(reference)));
  return readReport(reportsDirectory, reference);
}
