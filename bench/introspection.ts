/**
 * How long introspection takes on large generated schemas: N tables of 10 columns each (keys, a foreign
 * key to the previous table, comments, four text columns of which three have few distinct values, a few
 * rows each), read through `Datasource.introspect` with sampling on (the default `sampleBudgetMs`, 5 s).
 * The figure that matters besides the time is how many sampled columns got their values within the budget.
 *
 * Run: npm run bench:introspection [-- --label <text>] [-- --sizes 100,1000] [-- --engines postgres,mariadb]
 * (Postgres on 127.0.0.1:5432, MariaDB/MySQL on 127.0.0.1:3306; the schemas are generated once into
 * `sqlagent_bench_schema_<N>` databases and reused; writes bench/results/introspection.json). Each figure
 * is the median of 3 runs, with min and max.
 */
import path from 'node:path';
import { Datasource, datasourceConfigSchema } from '../src/datasource/index.ts';
import { keepRun, machine, median, root, runLabel } from './bench-support.ts';
import { generate } from './generated-schema.ts';

const resultFile = path.join(root, 'bench/results/introspection.json');
const repeats = 3;

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const sizes = argument('sizes', '100,1000').split(',').map(Number);
const engineNames = argument('engines', 'postgres,mariadb').split(',');

async function main() {
  const label = runLabel();
  const figures: Record<
    string,
    { milliseconds: { median: number; min: number; max: number }; tables: number; sampledColumns: number; sampleTargets: number }
  > = {};
  for (const engine of engineNames) {
    for (const size of sizes) {
      const base = engine === 'postgres' ? 'postgres://postgres@127.0.0.1:5432' : 'mysql://root@127.0.0.1:3306';
      const url = `${base}/sqlagent_bench_schema_${size}`;
      await generate(engine, url, size);
      const times: number[] = [];
      let tables = 0;
      let sampledColumns = 0;
      let sampleTargets = 0;
      for (let run = 0; run < repeats; run += 1) {
        const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'bench', url, poolSize: 5 }));
        try {
          const started = performance.now();
          const meta = await datasource.introspect({ sampleBudgetMs: 5000 });
          times.push(Math.round(performance.now() - started));
          const columns = meta.schemas.flatMap((schema) => schema.tables.flatMap((table) => table.columns));
          tables = meta.schemas.reduce((sum, schema) => sum + schema.tables.length, 0);
          sampleTargets = columns.filter((column) => column.typeFamily === 'text').length;
          sampledColumns = columns.filter((column) => column.sampleValues !== undefined).length;
        } finally {
          await datasource.close();
        }
      }
      figures[`${engine} ${size} tables`] = {
        milliseconds: { median: median(times), min: Math.min(...times), max: Math.max(...times) },
        tables,
        sampledColumns,
        sampleTargets,
      };
      console.log(`${engine} ${size}: ${median(times)} ms, ${sampledColumns} of ${sampleTargets} text columns sampled`);
    }
  }
  const runs = await keepRun(
    resultFile,
    { columnsPerTable: 10, rowsPerTable: 5, sampleBudgetMs: 5000, poolSize: 5 },
    { label, measuredAt: new Date().toISOString(), machine: machine(), figures },
  );
  console.log('| run | schema | ms (median) | min–max | text columns sampled | load average |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const run of runs)
    for (const [schema, figure] of Object.entries(run.figures))
      console.log(
        `| ${run.label} | ${schema} | ${figure.milliseconds.median} | ${figure.milliseconds.min}–${figure.milliseconds.max} | ${figure.sampledColumns} of ${figure.sampleTargets} | ${run.machine.loadAverage.join(' ')} |`,
      );
}

await main();
