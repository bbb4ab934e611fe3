import { sql, type Kysely } from 'kysely';
import type { Catalog, CatalogKey, Introspector } from '../catalog.ts';

const relationKinds = sql`('r', 'p', 'v', 'm', 'f')`;

/** Reads pg_catalog; shared by Postgres and PGlite, which have the same catalog. */
export class PostgresIntrospector implements Introspector {
  constructor(private readonly db: Kysely<any>) {}

  async defaultSchemas(): Promise<string[]> {
    const result = await sql<{ name: string }>`
      SELECT nspname AS name FROM pg_namespace
      WHERE nspname NOT IN ('information_schema') AND nspname NOT LIKE 'pg\\_%'
      ORDER BY nspname`.execute(this.db);
    return result.rows.map((row) => row.name);
  }

  async readCatalog(schemas: string[]): Promise<Catalog> {
    const tables = await sql<{ schema: string; name: string; kind: string; comment: string | null; row_estimate: number }>`
      SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind,
             obj_description(c.oid, 'pg_class') AS comment, c.reltuples::float8 AS row_estimate
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ${relationKinds} AND NOT c.relispartition AND n.nspname = ANY(${schemas})`.execute(this.db);

    const columns = await sql<{
      schema: string;
      table: string;
      name: string;
      data_type: string;
      nullable: boolean;
      comment: string | null;
      position: number;
    }>`
      SELECT n.nspname AS schema, c.relname AS table, a.attname AS name,
             format_type(a.atttypid, a.atttypmod) AS data_type, NOT a.attnotnull AS nullable,
             col_description(c.oid, a.attnum) AS comment, a.attnum::int AS position
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ${relationKinds} AND n.nspname = ANY(${schemas})`.execute(this.db);

    const keys = await sql<{
      schema: string;
      table: string;
      type: string;
      columns: string[];
      ref_schema: string | null;
      ref_table: string | null;
      ref_columns: string[] | null;
    }>`
      SELECT n.nspname AS schema, c.relname AS table, con.contype AS type,
        (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
        fn.nspname AS ref_schema, fc.relname AS ref_table,
        (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class fc ON fc.oid = con.confrelid
      LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
      WHERE con.contype IN ('p', 'f') AND n.nspname = ANY(${schemas})`.execute(this.db);

    return {
      tables: tables.rows.map((row) => ({
        schema: row.schema,
        name: row.name,
        kind: row.kind === 'v' || row.kind === 'm' ? 'view' : 'table',
        comment: row.comment,
        rowEstimate: row.kind === 'v' ? null : Number(row.row_estimate),
      })),
      columns: columns.rows.map((row) => ({
        schema: row.schema,
        table: row.table,
        name: row.name,
        dataType: row.data_type,
        nullable: row.nullable,
        comment: row.comment,
        position: Number(row.position),
      })),
      keys: keys.rows.map((row): CatalogKey => ({
        schema: row.schema,
        table: row.table,
        type: row.type === 'p' ? 'primary' : 'foreign',
        columns: row.columns ?? [],
        references: row.type === 'f' ? { schema: row.ref_schema!, table: row.ref_table!, columns: row.ref_columns ?? [] } : undefined,
      })),
    };
  }
}
