import { createHash } from 'node:crypto';
import type { SchemaMeta, TableMeta } from '../datasource/index.ts';
import { searchMetadata } from './schema-search/index.ts';

/** A table as a lean schema listing shows it: its name and its columns' names. */
export interface ListedTable {
  name: string;
  columns: Array<{ name: string }>;
}

/**
 * The tables a prompt lists for one question (the `question_tables` template variable): every table while
 * the whole listing fits the budget, else the tables closest to the question, with their foreign-key
 * neighbours, until it is spent. The model finds the rest with `search_metadata`, so the prompt stays the
 * same size however large the schema grows.
 */
export interface QuestionTables {
  /** Per schema, in the schema's own order, the tables listed. */
  schemas: Array<{ name: string; tables: ListedTable[] }>;
  /** How many tables are listed, and how many the schema has. */
  shown: number;
  total: number;
  /** `total - shown`: the tables left for the tools to find. */
  omitted: number;
  /** What the listing is made of, for the compiled-prompt memo: `all`, or a hash of the tables chosen. */
  key: string;
}

/** The default budget of the table listing, in estimated tokens. */
export const defaultTableListingTokens = 700;
/** The most tables taken from the question's search before the budget decides (a search ranks well only so far). */
const searchedTables = 60;
/** How many of the best-matching tables bring their foreign-key neighbours along. */
const closestTables = 3;

/**
 * Identifiers tokenize at about three characters a token (`order_items(id,order_id,…)`): a deliberately
 * high estimate, so the budget holds against the real tokenizer without running it on every table.
 */
const estimatedTokens = (table: TableMeta) =>
  Math.ceil((table.name.length + 3 + table.columns.reduce((sum, column) => sum + column.name.length + 1, 0)) / 3);

const listed = (table: TableMeta): ListedTable => ({ name: table.name, columns: table.columns.map((column) => ({ name: column.name })) });

/** Per schema object: the whole listing's estimated tokens, its table count, and the listing itself. */
const wholeListings = new WeakMap<SchemaMeta, { tokens: number; total: number; all: QuestionTables }>();

function wholeListing(meta: SchemaMeta): { tokens: number; total: number; all: QuestionTables } {
  let entry = wholeListings.get(meta);
  if (!entry) {
    const tables = meta.schemas.flatMap((schema) => schema.tables);
    const total = tables.length;
    entry = {
      tokens: tables.reduce((sum, table) => sum + estimatedTokens(table), 0),
      total,
      all: {
        schemas: meta.schemas.map((schema) => ({ name: schema.name, tables: schema.tables.map(listed) })),
        shown: total,
        total,
        omitted: 0,
        key: 'all',
      },
    };
    wholeListings.set(meta, entry);
  }
  return entry;
}

/** The tables to list for `question` within `budgetTokens` (see `QuestionTables`). */
export function questionTables(meta: SchemaMeta, question: string, budgetTokens: number = defaultTableListingTokens): QuestionTables {
  const whole = wholeListing(meta);
  if (whole.tokens <= budgetTokens) return whole.all;

  const byName = new Map<string, TableMeta>();
  for (const schema of meta.schemas) for (const table of schema.tables) byName.set(`${schema.name}.${table.name}`, table);
  // The tables the question matches best first, then the tables they reference and those that reference
  // them (so that a join the question needs is in view), then the other tables it matches.
  const ranked: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (byName.has(name) && !seen.has(name)) {
      seen.add(name);
      ranked.push(name);
    }
  };
  const matched = [...new Set(searchMetadata(meta, question, { limit: searchedTables }).map((hit) => `${hit.schema}.${hit.table}`))];
  const best = new Set(matched.slice(0, closestTables));
  for (const name of best) add(name);
  for (const name of best) for (const key of byName.get(name)!.foreignKeys) add(`${key.references.schema}.${key.references.table}`);
  for (const [name, table] of byName)
    if (table.foreignKeys.some((key) => best.has(`${key.references.schema}.${key.references.table}`))) add(name);
  for (const name of matched) add(name);
  // What budget is left goes to the other tables in the schema's order: an overview, and the same size
  // of prompt for every question.
  for (const name of byName.keys()) add(name);
  const chosen = new Set<string>();
  let spent = 0;
  for (const name of ranked) {
    const cost = estimatedTokens(byName.get(name)!);
    if (spent + cost > budgetTokens) continue;
    chosen.add(name);
    spent += cost;
  }
  const schemas = meta.schemas
    .map((schema) => ({
      name: schema.name,
      tables: schema.tables.filter((table) => chosen.has(`${schema.name}.${table.name}`)).map(listed),
    }))
    .filter((schema) => schema.tables.length > 0);
  return {
    schemas,
    shown: chosen.size,
    total: whole.total,
    omitted: whole.total - chosen.size,
    key: createHash('sha256')
      .update([...chosen].sort().join(','))
      .digest('base64url')
      .slice(0, 22),
  };
}
