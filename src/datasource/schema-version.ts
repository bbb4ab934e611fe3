import { createHash } from 'node:crypto';
import type { SchemaInfo } from './schema-meta.ts';

/**
 * A stable hash of the structure: schema, table and column names, kinds, types, nullability, keys and
 * comments. Row estimates and sample values are left out, and every list is sorted, so the hash does not
 * depend on catalog order and is identical across restarts. Any change to a column, type, key, comment or
 * table changes it.
 */
export function computeSchemaVersion(schemas: SchemaInfo[]): string {
  const byName = <T extends { name: string }>(items: T[]): T[] =>
    [...items].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  const canonical = byName(schemas).map((schema) => ({
    name: schema.name,
    tables: byName(schema.tables).map((table) => ({
      name: table.name,
      kind: table.kind,
      comment: table.comment,
      primaryKey: table.primaryKey,
      foreignKeys: table.foreignKeys
        .map((key) => JSON.stringify([key.columns, key.references.schema, key.references.table, key.references.columns]))
        .sort(),
      columns: byName(table.columns).map((column) => [column.name, column.dataType, column.nullable, column.isPrimaryKey, column.comment]),
    })),
  }));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}
