import type { SchemaMeta, TableMeta } from '../../datasource/index.ts';
import { qualifiedName } from './qualified-name.ts';
import { parseTableReference } from './table-reference.ts';
import { suggestTables } from './table-suggestions.ts';

/** The table a reference names. */
export interface TableFound {
  table: TableMeta;
}

/** Why a reference names no single table, and the qualified names it might have meant. */
export interface TableNotFound {
  error: string;
  suggestions: string[];
}

/** What `findTable` returns: the table, or an error with suggestions. */
export type FindTableResult = TableFound | TableNotFound;

/**
 * Resolves a table reference the way a model or a person writes it: `orders`, `public.orders`,
 * `"public"."orders"`, `` `shop`.`orders` ``, `db.public.orders`, in any case. Names compare
 * case-insensitively; when that leaves several tables that differ only in case, the exact-case one wins.
 * A schema part that is no schema but the datasource's own id (`shop.orders` on datasource `shop`) is read
 * as no schema, and the catalog part of a three-part name is ignored.
 *
 * A bare name found in several schemas is an error listing the qualified candidates; a reference that
 * matches nothing is an error naming it, with up to five close names as suggestions (`order` →
 * `public.orders`, `public.order_items`; `custmers` → `public.customers`). Never throws.
 */
export function findTable(meta: SchemaMeta, reference: string): FindTableResult {
  const parsed = parseTableReference(reference);
  // A malformed reference (`sales summary`) may still resemble a table name.
  if ('error' in parsed)
    return { error: parsed.error, suggestions: reference.trim() === '' ? [] : suggestTables(meta, [reference.trim()]) };
  const same = (left: string, right: string) => left.toLowerCase() === right.toLowerCase();

  const schemaExists = (name: string) => meta.schemas.some((entry) => same(entry.name, name));
  let schema = parsed.schema;
  if (schema !== undefined && !schemaExists(schema) && parsed.catalog === undefined && same(schema, meta.datasource)) schema = undefined;

  const tables = meta.schemas.flatMap((entry) => entry.tables);
  let matches = tables.filter((table) => same(table.name, parsed.table) && (schema === undefined || same(table.schema, schema)));
  if (matches.length > 1) {
    const exact = matches.filter((table) => table.name === parsed.table && (schema === undefined || table.schema === schema));
    if (exact.length === 1) matches = exact;
  }
  if (matches.length === 1) return { table: matches[0] };

  const shown = JSON.stringify(reference.trim());
  if (matches.length > 1) {
    const candidates = matches.map((table) => qualifiedName(table.schema, table.name)).sort();
    const advice =
      new Set(matches.map((table) => table.schema)).size > 1 ? 'Qualify it with its schema.' : 'Quote the name in its exact case.';
    return { error: `Table reference ${shown} is ambiguous: it names ${candidates.join(', ')}. ${advice}`, suggestions: candidates };
  }

  const wanted = [parsed.table];
  let detail = '';
  if (schema !== undefined && !schemaExists(schema)) {
    detail = ` There is no schema ${JSON.stringify(schema)}; the schemas are ${meta.schemas.map((entry) => entry.name).join(', ')}.`;
    // `orders.id` may be a table and a column rather than a schema and a table.
    wanted.push(schema);
  }
  const suggestions = suggestTables(meta, wanted, { schema });
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
  return { error: `No table or view ${shown} in datasource ${JSON.stringify(meta.datasource)}.${detail}${hint}`, suggestions };
}
