import type { SchemaInfo, TableMeta } from './schema-meta.ts';
import { typeFamilyOf } from './type-family.ts';

/** Rows a dialect's introspector reads from its catalog, before assembly. */
export interface CatalogTable {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  comment: string | null;
  rowEstimate: number | null;
}

export interface CatalogColumn {
  schema: string;
  table: string;
  name: string;
  dataType: string;
  nullable: boolean;
  comment: string | null;
  position: number;
}

export interface CatalogKey {
  schema: string;
  table: string;
  type: 'primary' | 'foreign';
  columns: string[];
  references?: { schema: string; table: string; columns: string[] };
}

export interface Catalog {
  tables: CatalogTable[];
  columns: CatalogColumn[];
  keys: CatalogKey[];
}

/** The introspection role of a dialect: reads the catalog of the allowed schemas. */
export interface Introspector {
  /** The schemas to read when the datasource config gives no allow-list. */
  defaultSchemas(): Promise<string[]>;
  readCatalog(schemas: string[]): Promise<Catalog>;
}

/**
 * The catalog cut down to a table allow-list (`schema.table`, or `table` in `defaultSchema`), so
 * introspection shows only what the guard lets a statement read; foreign keys into hidden tables go too.
 */
export function onlyTables(catalog: Catalog, tables: readonly string[], defaultSchema: string | null): Catalog {
  const allowed = new Set(tables.map((entry) => (entry.includes('.') ? entry : `${defaultSchema ?? ''}.${entry}`)));
  const visible = (schema: string, table: string) => allowed.has(`${schema}.${table}`);
  return {
    tables: catalog.tables.filter((table) => visible(table.schema, table.name)),
    columns: catalog.columns.filter((column) => visible(column.schema, column.table)),
    keys: catalog.keys.filter(
      (key) => visible(key.schema, key.table) && (!key.references || visible(key.references.schema, key.references.table)),
    ),
  };
}

const emptyToNull = (text: string | null | undefined): string | null => (text === undefined || text === null || text === '' ? null : text);

/** Builds the typed schema tree from catalog rows, sorted by name so catalog order never shows. */
export function assembleSchemas(catalog: Catalog, schemaNames: string[]): SchemaInfo[] {
  const key = (schema: string, table: string) => `${schema}\u0000${table}`;
  const tables = new Map<string, TableMeta>();
  for (const table of catalog.tables) {
    tables.set(key(table.schema, table.name), {
      schema: table.schema,
      name: table.name,
      kind: table.kind,
      comment: emptyToNull(table.comment),
      rowEstimate: table.rowEstimate === null || table.rowEstimate < 0 ? null : Math.round(table.rowEstimate),
      primaryKey: [],
      foreignKeys: [],
      columns: [],
    });
  }
  const columns = [...catalog.columns].sort((left, right) => left.position - right.position);
  for (const column of columns) {
    tables.get(key(column.schema, column.table))?.columns.push({
      name: column.name,
      dataType: column.dataType,
      typeFamily: typeFamilyOf(column.dataType),
      nullable: column.nullable,
      isPrimaryKey: false,
      references: null,
      comment: emptyToNull(column.comment),
    });
  }
  for (const constraint of catalog.keys) {
    const table = tables.get(key(constraint.schema, constraint.table));
    if (!table) continue;
    if (constraint.type === 'primary') {
      table.primaryKey = constraint.columns;
      for (const column of table.columns) if (constraint.columns.includes(column.name)) column.isPrimaryKey = true;
    } else if (constraint.references) {
      const references = constraint.references;
      table.foreignKeys.push({ columns: constraint.columns, references });
      constraint.columns.forEach((name, index) => {
        const column = table.columns.find((candidate) => candidate.name === name);
        if (column && !column.references) {
          column.references = { schema: references.schema, table: references.table, column: references.columns[index] };
        }
      });
    }
  }
  for (const table of tables.values()) {
    table.foreignKeys.sort((left, right) => left.columns.join(',').localeCompare(right.columns.join(',')));
  }
  const byName = (left: { name: string }, right: { name: string }) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0);
  return [...schemaNames].sort().map((schema) => ({
    name: schema,
    tables: [...tables.values()].filter((table) => table.schema === schema).sort(byName),
  }));
}
