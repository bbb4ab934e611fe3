import type { ShownTable } from './conversation-reader.ts';
import { CannotPlan } from './planning-errors.ts';
import type { ColumnReference } from './query-plan.ts';
import { wordsOf, type Word } from './question-words.ts';

/** The most values one value lookup returns (fewer found means it found every stored value that matched). */
export const lookupValueLimit = 20;

/** A value a lookup found in a column (beyond its samples): the qualified table, the column, the value as stored. */
export interface FoundValue {
  table: string;
  column: string;
  value: string;
}

/** A column the model has seen through show_table. */
export interface CatalogueColumn {
  table: CatalogueTable;
  name: string;
  family: string;
  nullable: boolean;
  primaryKey: boolean;
  /** The qualified table and column a foreign key points at. */
  references: { table: string; column: string } | null;
  comment: string;
  /** The sampled values, then those a value lookup found (see `foundValues`). */
  sampleValues: string[];
  /** Values a lookup found beyond the samples: a reading of one is declined when another column fits as well. */
  foundValues: string[];
  /** Every value a value lookup found in this column, sampled or not. */
  lookedUp: string[];
  /** Words of the name, e.g. `shipping`, `country`. */
  nameWords: Word[];
}

/** A table the model has seen through show_table. */
export interface CatalogueTable {
  /** The qualified name, `schema.table`. */
  qualifiedName: string;
  schema: string;
  name: string;
  comment: string;
  primaryKey: string[];
  columns: CatalogueColumn[];
  nameWords: Word[];
}

/** A foreign key between two tables (single column), known from either end. */
export interface ForeignKeyEdge {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

/** The tables seen so far and the foreign keys known from their descriptions. */
export class SchemaCatalogue {
  readonly tables: CatalogueTable[];
  readonly edges: ForeignKeyEdge[];
  /** How many values the value lookups found (a lookup returns at most `lookupValueLimit`: fewer means every match). */
  readonly foundCount: number;

  constructor(shown: readonly ShownTable[], found: readonly FoundValue[] = []) {
    this.tables = [];
    this.foundCount = found.length;
    const edges = new Map<string, ForeignKeyEdge>();
    for (const description of shown) {
      if (this.tables.some((table) => table.qualifiedName === description.name)) continue;
      const [schema, name] = splitQualified(description.name);
      const table: CatalogueTable = {
        qualifiedName: description.name,
        schema,
        name,
        comment: description.comment ?? '',
        primaryKey: description.primaryKey ?? [],
        columns: [],
        nameWords: wordsOf(name),
      };
      for (const column of description.columns) {
        const reference = column.references ? parseReference(column.references) : null;
        table.columns.push({
          table,
          name: column.name,
          // Left out of a description when it is the type itself; the flags when false.
          family: column.family ?? column.type,
          nullable: column.nullable === true,
          primaryKey: column.primaryKey === true,
          references: reference ? { table: reference.table, column: reference.columns[0] } : null,
          comment: column.comment ?? '',
          // (A copy: the values a lookup finds are added to it, not to the description the conversation keeps.)
          sampleValues: [...(column.sampleValues ?? [])],
          foundValues: [],
          lookedUp: [],
          nameWords: wordsOf(column.name),
        });
        if (reference && reference.columns.length === 1)
          addEdge(edges, {
            fromTable: description.name,
            fromColumn: column.name,
            toTable: reference.table,
            toColumn: reference.columns[0],
          });
      }
      for (const incoming of description.referencedBy ?? []) {
        const from = parseReference(incoming.from);
        const to = parseReference(incoming.to);
        if (from && to && from.columns.length === 1 && to.columns.length === 1)
          addEdge(edges, { fromTable: from.table, fromColumn: from.columns[0], toTable: to.table, toColumn: to.columns[0] });
      }
      this.tables.push(table);
    }
    this.edges = [...edges.values()];
    for (const value of found) {
      const column = this.table(value.table)?.columns.find((candidate) => candidate.name === value.column);
      if (column && !column.lookedUp.includes(value.value)) column.lookedUp.push(value.value);
      if (!column || column.sampleValues.includes(value.value)) continue;
      column.sampleValues.push(value.value);
      column.foundValues.push(value.value);
    }
  }

  /**
   * The dates that date a table's rows: its own first date column (a birth date aside), else those of the tables it
   * points at ("prescriptions": their appointment's date).
   */
  rowDates(name: string): CatalogueColumn[] {
    const dateOf = (table: CatalogueTable | null | undefined) =>
      table?.columns.find((column) => (column.family === 'date' || column.family === 'timestamp') && !/birth/.test(column.name)) ?? null;
    const own = dateOf(this.table(name));
    if (own) return [own];
    return this.edges
      .filter((edge) => edge.fromTable === name)
      .map((edge) => dateOf(this.table(edge.toTable)))
      .filter((column): column is CatalogueColumn => column !== null);
  }

  /** Tables known only by name, through the foreign keys of shown tables. */
  unshownTableNames(): string[] {
    const names = new Set<string>();
    for (const edge of this.edges) for (const name of [edge.fromTable, edge.toTable]) if (!this.table(name)) names.add(name);
    return [...names].sort();
  }

  /** A shown table by qualified name. */
  table(qualifiedName: string): CatalogueTable | undefined {
    return this.tables.find((table) => table.qualifiedName === qualifiedName);
  }

  /** Tables known only by name, from foreign keys of shown tables, that point into `qualifiedName`. */
  referencingTables(qualifiedName: string): string[] {
    return this.edges.filter((edge) => edge.toTable === qualifiedName && edge.fromTable !== qualifiedName).map((edge) => edge.fromTable);
  }

  /**
   * The shortest join path between two tables over the known foreign keys (either direction), as the
   * edges to walk with a flag saying whether each is walked from its referencing side; null when none.
   */
  joinPath(from: string, to: string): Array<{ edge: ForeignKeyEdge; forward: boolean }> | null {
    if (from === to) return [];
    const previous = new Map<string, { node: string; edge: ForeignKeyEdge; forward: boolean }>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const edge of this.edges) {
        if (edge.fromTable === edge.toTable) continue;
        const steps: Array<[string, boolean]> = [];
        if (edge.fromTable === node) steps.push([edge.toTable, true]);
        if (edge.toTable === node) steps.push([edge.fromTable, false]);
        for (const [next, forward] of steps) {
          if (seen.has(next)) continue;
          seen.add(next);
          previous.set(next, { node, edge, forward });
          if (next === to) {
            const path: Array<{ edge: ForeignKeyEdge; forward: boolean }> = [];
            let current = to;
            while (current !== from) {
              const step = previous.get(current)!;
              path.unshift({ edge: step.edge, forward: step.forward });
              current = step.node;
            }
            return path;
          }
          queue.push(next);
        }
      }
    }
    return null;
  }
}

/** A column as plans refer to it: its table's qualified name and its own name. */
export function columnReference(column: CatalogueColumn): ColumnReference {
  return { table: column.table.qualifiedName, column: column.name };
}

/** Splits `schema.table` (the last dot separates them). */
export function splitQualified(qualifiedName: string): [string, string] {
  const dot = qualifiedName.lastIndexOf('.');
  return dot < 0 ? ['public', qualifiedName] : [qualifiedName.slice(0, dot), qualifiedName.slice(dot + 1)];
}

/** Parses `schema.table(column, …)`. */
function parseReference(text: string): { table: string; columns: string[] } | null {
  const match = /^(.+)\(([^)]*)\)$/.exec(text.trim());
  if (!match) return null;
  return { table: match[1], columns: match[2].split(',').map((column) => column.trim()) };
}

function addEdge(edges: Map<string, ForeignKeyEdge>, edge: ForeignKeyEdge): void {
  edges.set(`${edge.fromTable}.${edge.fromColumn}->${edge.toTable}.${edge.toColumn}`, edge);
}

/** The one column that tells a table's rows apart, which a count or a sum per row needs; a table without one declines. */
export function rowKey(table: CatalogueTable | null | undefined): string {
  const key = table?.primaryKey.length === 1 ? table.primaryKey[0] : undefined;
  if (!key)
    throw new CannotPlan(`The rows of ${table?.name ?? 'that table'} have no key to tell them apart by, which a count per row needs.`);
  return key;
}
