import type { TableDescription } from '../../src/agent/index.ts';

type Column = TableDescription['columns'][number];

/** A column as show_table describes it (not null; `id` is the primary key), for the offline model's unit tests. */
export const column = (name: string, family: Column['family'], extra: Partial<Column> = {}): Column => ({
  name,
  type: family,
  family,
  nullable: false,
  primaryKey: name === 'id',
  ...extra,
});
