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
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Datasource, datasourceConfigSchema } from '../src/datasource/index.ts';
import { ensureDatabase } from '../src/fixtures/index.ts';
import { keepRun, machine, median, root, runLabel } from './bench-support.ts';

const resultFile = path.join(root, 'bench/results/introspection.json');
const repeats = 3;

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const sizes = argument('sizes', '100,1000').split(',').map(Number);
const engineNames = argument('engines', 'postgres,mariadb').split(',');

const statuses = ['open', 'closed', 'pending'];
const regions = ['north', 'south', 'east', 'west', 'centre'];

/** The DDL and rows of table `index` (1-based) of a generated schema, one statement per entry. */
function tableStatements(index: number, dialect: 'postgres' | 'mysql'): string[] {
  const name = `t${String(index).padStart(4, '0')}`;
  const parent = index > 1 ? `t${String(index - 1).padStart(4, '0')}` : null;
  const bool = dialect === 'postgres' ? 'BOOLEAN' : 'TINYINT(1)';
  const comment = (text: string) => (dialect === 'mysql' ? ` COMMENT '${text}'` : '');
  const statements = [
    `CREATE TABLE ${name} (
      id INTEGER PRIMARY KEY${comment('row id')},
      parent_id INTEGER${comment('the parent row')},
      name VARCHAR(40) NOT NULL${comment('a unique name')},
      status VARCHAR(20) NOT NULL${comment('open, closed or pending')},
      region VARCHAR(20)${comment('where it belongs')},
      amount NUMERIC(10,2),
      quantity INTEGER,
      created_on DATE,
      active ${bool},
      note TEXT${
        parent
          ? `,
      FOREIGN KEY (parent_id) REFERENCES ${parent}(id)`
          : ''
      }
    )${dialect === 'mysql' ? ` COMMENT='generated table ${index}'` : ''}`,
  ];
  if (dialect === 'postgres')
    statements.push(
      `COMMENT ON TABLE ${name} IS 'generated table ${index}'`,
      `COMMENT ON COLUMN ${name}.status IS 'open, closed or pending'`,
      `COMMENT ON COLUMN ${name}.name IS 'a unique name'`,
    );
  const rows = [1, 2, 3, 4, 5].map(
    (row) =>
      `(${row}, ${parent ? row : 'NULL'}, '${name}-${row}', '${statuses[row % 3]}', '${regions[row % 5]}', ${row * 10}.5, ${row}, '2025-0${row}-01', ${row % 2 === 0 ? 'TRUE' : 'FALSE'}, NULL)`,
  );
  statements.push(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
  return statements;
}

/** Generates the schema once: a database that already holds N tables is reused. */
async function generate(engine: string, url: string, size: number): Promise<void> {
  await ensureDatabase(url);
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
      if (rows[0].n === size) return;
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      for (let start = 1; start <= size; start += 100) {
        const batch = [];
        for (let index = start; index < Math.min(start + 100, size + 1); index += 1) batch.push(...tableStatements(index, 'postgres'));
        await client.query(batch.join(';\n'));
      }
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
    return;
  }
  const connection = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    const [rows] = await connection.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
    if (Number((rows as Array<{ n: number }>)[0].n) === size) return;
    const database = new URL(url).pathname.slice(1);
    await connection.query(`DROP DATABASE ${database}; CREATE DATABASE ${database}; USE ${database}`);
    for (let start = 1; start <= size; start += 50) {
      const batch = [];
      for (let index = start; index < Math.min(start + 50, size + 1); index += 1) batch.push(...tableStatements(index, 'mysql'));
      await connection.query(batch.join(';\n'));
    }
  } finally {
    await connection.end();
  }
}

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
