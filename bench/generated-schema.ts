/**
 * Large generated schemas for the benchmarks: N tables of 10 columns each (keys, a foreign key to the
 * previous table, comments, four text columns of which three have few distinct values, 5 rows each),
 * generated once into a database and reused while it holds N tables.
 *
 * Row r (1–5) of every table: name `<table>-r`, status open/closed/pending by r mod 3
 * (`statuses[r % 3]`), region by r mod 5 (`regions[r % 5]`), amount r × 10 + 0.5, quantity r, created on
 * the first of month r of 2025, active when r is even.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { ensureDatabase } from '../src/fixtures/index.ts';

export const statuses = ['open', 'closed', 'pending'];
export const regions = ['north', 'south', 'east', 'west', 'centre'];

/** The name of table `index` (1-based). */
export const tableName = (index: number) => `t${String(index).padStart(4, '0')}`;

/** The DDL and rows of table `index` (1-based) of a generated schema, one statement per entry. */
export function tableStatements(index: number, dialect: 'postgres' | 'mysql'): string[] {
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
export async function generate(engine: string, url: string, size: number): Promise<void> {
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
