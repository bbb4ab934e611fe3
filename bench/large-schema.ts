/**
 * Large schemas, as the agent meets them with its default settings: how many tokens each version of
 * `agent/db_agent` compiles to at 10 / 100 / 1,000 / 3,000 generated tables, and how many of 18 simple
 * questions the default label (and v4, the version before it, under a label `previous` the benchmark adds
 * to a copy of the prompts) answers right there, with the input tokens a question costs.
 *
 *   goal: a system prompt of at most 1,500 tokens at any size; 18 of 18 at 1,000 and 3,000 tables with
 *   the default settings and the default label (issue 17)
 *
 * The questions are this benchmark's own, about the generated tables (see bench/generated-schema.ts): a
 * count, a count of one status, and a sum over one region, each for six tables spread over the schema.
 * Each answer's rows are compared with the rows of the SQL written for it. The model is the offline one,
 * so the figures measure the prompt and the tools, not a vendor's model.
 *
 * Run: npm run bench -- large-schema [--sizes 10,100,1000,3000] (Postgres on 127.0.0.1:5432; the schemas
 * are generated once into `sqlagent_bench_schema_<N>` and reused; writes bench/results/large-schema.json).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/logging/index.ts';
import { renderPrompt } from '../src/prompt-rendering.ts';
import { benchConfig, keepRun, machine, median, root, runLabel } from './bench-support.ts';
import { generate, regions, statuses, tableName } from './generated-schema.ts';

const resultFile = path.join(root, 'bench/results/large-schema.json');
const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const sizes = argument('sizes', '10,100,1000,3000').split(',').map(Number);
/** The default label, and a label the benchmark adds on a copy of the prompts for the version before it. */
const labels = ['production', 'previous'];
const previousVersion = 4;

interface Question {
  question: string;
  /** The rows the answer must hold (numbers compared as numbers). */
  expected: unknown[][];
}

/** 18 questions: three kinds for six tables spread over the schema. */
function questionsFor(size: number): Question[] {
  const positions = [1, Math.ceil(size * 0.2), Math.ceil(size * 0.4), Math.ceil(size * 0.6), Math.ceil(size * 0.8), size];
  const rows = [1, 2, 3, 4, 5];
  return positions.flatMap((position, index) => {
    const table = tableName(position);
    const status = statuses[index % 3];
    const region = regions[(index + 1) % 5];
    return [
      { question: `How many ${table} are there?`, expected: [[rows.length]] },
      { question: `How many ${table} are ${status}?`, expected: [[rows.filter((row) => statuses[row % 3] === status).length]] },
      {
        question: `What is the total amount of ${table} in the ${region} region?`,
        expected: [[rows.filter((row) => regions[row % 5] === region).reduce((sum, row) => sum + row * 10 + 0.5, 0)]],
      },
    ];
  });
}

const same = (actual: unknown[][], expected: unknown[][]) =>
  actual.length === expected.length &&
  actual.every(
    (row, index) =>
      row.length === expected[index].length && row.every((value, column) => Number(value) === Number(expected[index][column])),
  );

interface SizeFigures {
  tables: number;
  /** Tokens of each version compiled for these questions (the largest), as the agent would serve it. */
  promptTokens: Record<string, number>;
  /** Per label: right answers of 18, and the median input tokens of a question. */
  answers: Record<string, { version: number; right: number; of: number; inputTokensMedian: number; failures: string[] }>;
}

async function main() {
  const label = runLabel();
  const figures: Record<string, SizeFigures> = {};
  for (const size of sizes) {
    const url = `postgres://postgres@127.0.0.1:5432/sqlagent_bench_schema_${size}`;
    await generate('postgres', url, size);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-bench-large-'));
    const prompts = path.join(dataDir, 'prompts');
    await cp(path.join(root, 'prompts'), prompts, { recursive: true });
    const labelsFile = path.join(prompts, 'agent/db_agent/labels.yaml');
    await writeFile(labelsFile, (await readFile(labelsFile, 'utf8')).replace(/^labels:\n/m, `labels:\n  previous: ${previousVersion}\n`));
    const config = benchConfig(dataDir, {
      datasources: [{ id: 'generated', url, today: '2025-07-01' }],
      prompts: { source: 'local', directory: prompts },
      knowledge: { directory: path.join(dataDir, 'knowledge') },
    });
    const app = createApp(config, { logger: createLogger('silent') });
    try {
      const questions = questionsFor(size);
      const meta = await app.datasources.schema('generated');
      const tables = meta.schemas.reduce((sum, schema) => sum + schema.tables.length, 0);
      const versions = await app.prompts.store.versions('agent/db_agent');
      const promptTokens: Record<string, number> = {};
      for (const version of versions) {
        let largest = 0;
        for (const { question } of questions.slice(0, 6)) {
          const rendered = await renderPrompt(app, {
            name: 'agent/db_agent',
            datasource: 'generated',
            selector: { version: version.version },
            question,
          });
          largest = Math.max(largest, rendered.compiled.tokenCount);
        }
        promptTokens[`v${version.version}`] = largest;
      }
      const answers: SizeFigures['answers'] = {};
      for (const promptLabel of labels) {
        let right = 0;
        const version = (await app.prompts.store.get('agent/db_agent', { label: promptLabel })).version;
        const inputTokens: number[] = [];
        const failures: string[] = [];
        for (const { question, expected } of questions) {
          try {
            const result = await app.queries.ask({
              datasource: 'generated',
              question,
              label: promptLabel,
              labelAllowed: true,
              cache: 'bypass',
            });
            inputTokens.push(Object.values(result.usage).reduce((sum, usage) => sum + usage.inputTokens, 0));
            if (same(result.rows, expected)) right += 1;
            else failures.push(`${question}: ${result.sql}`);
          } catch (error) {
            failures.push(`${question}: ${(error as Error).message.slice(0, 160)}`);
          }
        }
        answers[promptLabel] = {
          version,
          right,
          of: questions.length,
          inputTokensMedian: inputTokens.length ? median(inputTokens) : 0,
          failures,
        };
      }
      figures[`${size} tables`] = { tables, promptTokens, answers };
      console.log(
        `${size} tables: prompt tokens ${JSON.stringify(promptTokens)}; ${labels.map((name) => `${name} v${answers[name].version} ${answers[name].right}/${answers[name].of}, ${answers[name].inputTokensMedian} input tokens a question`).join('; ')}`,
      );
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const runs = await keepRun(
    resultFile,
    { engine: 'postgres', model: 'offline', settings: 'defaults' },
    { label, measuredAt: new Date().toISOString(), machine: machine(), figures },
  );
  console.log('| run | schema | prompt tokens by version | label: right of 18, input tokens a question (median) |');
  console.log('| --- | --- | --- | --- |');
  for (const run of runs)
    for (const [schema, figure] of Object.entries(run.figures))
      console.log(
        `| ${run.label} | ${schema} | ${Object.entries(figure.promptTokens)
          .map(([version, tokens]) => `${version} ${tokens}`)
          .join(', ')} | ${Object.entries(figure.answers)
          .map(([name, answer]) => `${name} (v${answer.version}) ${answer.right}/${answer.of}, ${answer.inputTokensMedian}`)
          .join('; ')} |`,
      );
}

await main();
