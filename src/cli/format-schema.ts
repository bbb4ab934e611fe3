import type { SchemaMeta } from '../datasource/index.ts';

/** A readable outline of a schema: tables with row estimates and comments, then their columns. */
export function formatSchema(meta: SchemaMeta): string {
  const lines = [`Datasource ${meta.datasource} (${meta.engine} ${meta.serverVersion})  schemaVersion ${meta.schemaVersion}`];
  for (const schema of meta.schemas) {
    lines.push('', `schema ${schema.name}`);
    for (const table of schema.tables) {
      const rows = table.rowEstimate === null ? '' : `  ~${table.rowEstimate} rows`;
      lines.push(`  ${table.kind} ${table.name}${rows}${table.comment ? `  -- ${table.comment}` : ''}`);
      for (const column of table.columns) {
        const flags = [
          column.isPrimaryKey ? 'PK' : '',
          column.nullable ? 'null' : 'not null',
          column.references ? `-> ${column.references.schema}.${column.references.table}.${column.references.column}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        const samples = column.sampleValues?.length ? `  e.g. ${column.sampleValues.map((value) => JSON.stringify(value)).join(', ')}` : '';
        lines.push(`    ${column.name} ${column.dataType} (${flags})${column.comment ? `  -- ${column.comment}` : ''}${samples}`);
      }
    }
  }
  return lines.join('\n');
}
