import type { CatalogueColumn, CatalogueTable } from './schema-catalogue.ts';

/**
 * The columns that name a row of a table: `name`, else first and last name, else a title-like text column, else
 * the one other text column when it is no code, else the key.
 */
export function labelColumns(table: CatalogueTable): CatalogueColumn[] {
  const byName = (name: string) => table.columns.find((column) => column.name === name);
  const name = byName('name') ?? byName('title');
  if (name) return [name];
  const first = table.columns.find((column) => /first_?name/.test(column.name));
  const last = table.columns.find((column) => /last_?name/.test(column.name));
  if (first && last) return [first, last];
  const texty = table.columns.find((column) => column.family === 'text' && /name|title|description|label/.test(column.name));
  if (texty) return [texty];
  // One other text column names the rows ("topic"); a code of listed values ("'pending', 'shipped' …"), or one
  // of several texts (a status and a country), is shared by many rows: the key names them.
  const texts = table.columns.filter((column) => column.family === 'text' && !column.primaryKey && !column.references);
  if (texts.length === 1 && !/'[^']+',\s*'[^']+'/.test(texts[0].comment)) return texts;
  return table.columns.filter((column) => column.primaryKey).slice(0, 1);
}
