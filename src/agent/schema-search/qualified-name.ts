/** `schema.table`, the way tools and the model name a table. */
export function qualifiedName(schema: string, table: string): string {
  return `${schema}.${table}`;
}

/** `schema.table(column, …)`, the way tools and the model name the columns at one end of a foreign key. */
export function columnsReference(schema: string, table: string, columns: readonly string[]): string {
  return `${qualifiedName(schema, table)}(${columns.join(', ')})`;
}
