import type { ColumnMeta, SchemaMeta, TableMeta } from '../../datasource/index.ts';
import { columnsReference, qualifiedName } from './qualified-name.ts';
import type { ColumnDescription, IncomingReference, TableDescription } from './table-description.ts';

/**
 * Describes a table or view for the model: its qualified name, kind, comment, row estimate and primary
 * key; each column's type, family (when not the type itself), nullability and key membership (when true), reference (`schema.table(column)`),
 * comment and sample values; and the foreign keys of the other tables in `meta` that point into it (a
 * table's references to itself already show on its columns), ordered by referencing table.
 */
export function describeTable(meta: SchemaMeta, table: TableMeta): TableDescription {
  return {
    name: qualifiedName(table.schema, table.name),
    kind: table.kind,
    comment: table.comment,
    rowEstimate: table.rowEstimate,
    primaryKey: [...table.primaryKey],
    columns: table.columns.map(describeColumn),
    referencedBy: incomingReferences(meta, table),
  };
}

function describeColumn(column: ColumnMeta): ColumnDescription {
  const description: ColumnDescription = { name: column.name, type: column.dataType };
  if (column.typeFamily !== column.dataType) description.family = column.typeFamily;
  if (column.nullable) description.nullable = true;
  if (column.isPrimaryKey) description.primaryKey = true;
  if (column.references !== null)
    description.references = columnsReference(column.references.schema, column.references.table, [column.references.column]);
  if (column.comment !== null && column.comment !== '') description.comment = column.comment;
  if (column.sampleValues !== undefined && column.sampleValues.length > 0) description.sampleValues = [...column.sampleValues];
  return description;
}

function incomingReferences(meta: SchemaMeta, target: TableMeta): IncomingReference[] {
  const references: IncomingReference[] = [];
  for (const schema of meta.schemas) {
    for (const table of schema.tables) {
      if (table.schema === target.schema && table.name === target.name) continue;
      for (const key of table.foreignKeys) {
        if (key.references.schema !== target.schema || key.references.table !== target.name) continue;
        references.push({
          from: columnsReference(table.schema, table.name, key.columns),
          to: columnsReference(target.schema, target.name, key.references.columns),
        });
      }
    }
  }
  return references.sort((left, right) => (left.from < right.from ? -1 : left.from > right.from ? 1 : 0));
}
