import type { SchemaMeta, TableMeta } from '../datasource/index.ts';
import { SqlError } from '../errors/index.ts';
import { editDistance } from '../text/index.ts';
import type { GlossaryEntry, JoinHint, KnowledgeExample, KnowledgeFile, Metric } from './knowledge-schema.ts';

/** A table of the live schema as the knowledge refers to it. */
export interface KnowledgeTable {
  schema: string;
  name: string;
}

/** A column of the live schema. */
export interface KnowledgeColumn extends KnowledgeTable {
  column: string;
}

/** What a glossary term stands for, resolved against the live schema. */
export type GlossaryTarget =
  | { kind: 'table'; table: KnowledgeTable }
  | { kind: 'column'; column: KnowledgeColumn }
  | { kind: 'value'; column: KnowledgeColumn; value: string }
  | { kind: 'condition'; table: KnowledgeTable; condition: string };

export interface ResolvedGlossaryEntry {
  term: string;
  synonyms: string[];
  description: string | null;
  target: GlossaryTarget;
}

export interface ResolvedMetric {
  name: string;
  synonyms: string[];
  description: string | null;
  table: KnowledgeTable;
  expression: string;
  filters: string[];
  timeColumn: KnowledgeColumn | null;
}

export interface ResolvedJoinHint {
  from: KnowledgeColumn;
  to: KnowledgeColumn;
  note: string | null;
}

/** A knowledge file checked against one schema version: what fits, and a problem for each entry that does not. */
export interface CheckedKnowledge {
  glossary: ResolvedGlossaryEntry[];
  metrics: ResolvedMetric[];
  joinHints: ResolvedJoinHint[];
  /** Every example, whatever its status (retrieval uses the verified ones). */
  examples: KnowledgeExample[];
  /** One line per entry that does not fit, naming it; empty when all fit. */
  problems: string[];
}

/**
 * Runs a read-only statement against the datasource and returns its rows (at most one is needed);
 * throws with the database's message when the statement fails.
 */
export type KnowledgeProbe = (sql: string) => Promise<unknown[][]>;

/** Statements that check entries, run together. */
type ProbeSql = (what: string, sql: string, mustReturnRows: boolean) => void;

interface ProbeRequest {
  where: string;
  what: string;
  sql: string;
  mustReturnRows: boolean;
}

/** How many probes share one statement. */
const probesPerStatement = 40;

/**
 * Checks knowledge against the live schema: every table and column must exist (an unknown one is a
 * problem naming the entry and the close matches); a value must occur in its column; a condition, a
 * metric's expression and filters, and a verified example's SQL must run (each is probed read-only, so
 * a misspelt column inside SQL is caught too). Entries with a problem are left out of the result.
 *
 * The probes run as one statement per 40 entries (`SELECT CASE WHEN EXISTS (…) THEN 1 ELSE 0 END, …`;
 * SQL that need only compile runs under `WHERE 1 = 0`), so a file of fifty entries costs one round trip,
 * not fifty; only when a batch fails are its probes run one by one, to name the entry at fault.
 */
export async function checkKnowledge(file: KnowledgeFile, meta: SchemaMeta, probe: KnowledgeProbe): Promise<CheckedKnowledge> {
  const names = new SchemaNames(meta);
  const problems: string[] = [];
  const requests: ProbeRequest[] = [];
  const glossary: Array<[string, ResolvedGlossaryEntry]> = [];
  const metrics: Array<[string, ResolvedMetric]> = [];
  const examples: Array<[string, KnowledgeExample]> = [];
  const joinHints: ResolvedJoinHint[] = [];
  const resolve = <T>(where: string, work: (probeSql: ProbeSql) => T): T | null => {
    try {
      return work((what, sql, mustReturnRows) => requests.push({ where, what, sql, mustReturnRows }));
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return null;
    }
  };

  for (const [index, entry] of file.glossary.entries()) {
    const where = `glossary[${index}] "${entry.term}"`;
    const resolved = resolve(where, (probeSql) => resolveGlossary(entry, names, probeSql));
    if (resolved) glossary.push([where, resolved]);
  }
  for (const [index, metric] of file.metrics.entries()) {
    const where = `metrics[${index}] "${metric.name}"`;
    const resolved = resolve(where, (probeSql) => resolveMetric(metric, names, probeSql));
    if (resolved) metrics.push([where, resolved]);
  }
  for (const [index, hint] of file.join_hints.entries()) {
    const resolved = resolve(`join_hints[${index}] "${hint.from}"`, () => resolveJoinHint(hint, names));
    if (resolved) joinHints.push(resolved);
  }
  for (const [index, example] of file.examples.entries()) {
    const where = `examples[${index}] "${example.id}"`;
    // Only verified examples reach the prompt; candidates and rejected ones are kept as they are.
    if (example.status === 'verified') resolve(where, (probeSql) => probeSql('the SQL', example.sql, false));
    examples.push([where, example]);
  }

  const failed = await runProbes(requests, probe);
  for (const [where, problem] of failed) problems.push(`${where}: ${problem}`);
  const fits = ([where]: [string, unknown]) => !failed.has(where);
  return {
    glossary: glossary.filter(fits).map(([, entry]) => entry),
    metrics: metrics.filter(fits).map(([, metric]) => metric),
    joinHints,
    examples: examples.filter(fits).map(([, example]) => example),
    problems,
  };
}

/** Runs the probes in batches; returns the problem of each entry whose probe failed, by entry. */
async function runProbes(requests: readonly ProbeRequest[], probe: KnowledgeProbe): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const one = async (request: ProbeRequest) => {
    let rows: unknown[][];
    try {
      rows = await probe(request.sql);
    } catch (error) {
      // A busy or unreachable database says nothing of the entry: the whole check fails, to be retried.
      if (!(error instanceof SqlError)) throw error;
      if (!failed.has(request.where)) failed.set(request.where, `${request.what} does not run: ${oneLine((error as Error).message)}`);
      return;
    }
    if (request.mustReturnRows && rows.length === 0 && !failed.has(request.where))
      failed.set(request.where, `${request.what} matches no row`);
  };
  for (let start = 0; start < requests.length; start += probesPerStatement) {
    const batch = requests.slice(start, start + probesPerStatement);
    const columns = batch.map(
      (request, index) =>
        `CASE WHEN EXISTS (${request.mustReturnRows ? request.sql : `SELECT 1 FROM (${request.sql}) AS probe_${index} WHERE 1 = 0`}) THEN 1 ELSE 0 END AS p${index}`,
    );
    let row: unknown[] | undefined;
    try {
      row = (await probe(`SELECT ${columns.join(', ')}`))[0];
    } catch (error) {
      // A busy or unreachable database: every probe would wait and fail the same way, and no entry is at
      // fault, so the check fails as a whole (the service keeps the knowledge it had and checks again later).
      if (!(error instanceof SqlError)) throw error;
      // Some probe in the batch fails: run them one by one to find which.
      for (const request of batch) await one(request);
      continue;
    }
    for (const [index, request] of batch.entries())
      if (request.mustReturnRows && Number(row?.[index]) !== 1 && !failed.has(request.where))
        failed.set(request.where, `${request.what} matches no row`);
  }
  return failed;
}

function resolveGlossary(entry: GlossaryEntry, names: SchemaNames, probeSql: ProbeSql): ResolvedGlossaryEntry {
  const base = { term: entry.term, synonyms: entry.synonyms, description: entry.description ?? null };
  if (entry.table) {
    const table = names.table(entry.table);
    if (entry.condition === undefined) return { ...base, target: { kind: 'table', table } };
    probeSql('the condition', `SELECT 1 FROM ${names.sqlName(table)} WHERE ${entry.condition}`, false);
    return { ...base, target: { kind: 'condition', table, condition: entry.condition } };
  }
  const column = names.column(entry.column!);
  if (entry.value === undefined) return { ...base, target: { kind: 'column', column } };
  const value = String(entry.value);
  probeSql(
    `the value ${JSON.stringify(value)} of ${column.name}.${column.column}`,
    `SELECT 1 FROM ${names.sqlName(column)} WHERE ${column.column} = ${sqlString(value)}`,
    true,
  );
  return { ...base, target: { kind: 'value', column, value } };
}

function resolveMetric(metric: Metric, names: SchemaNames, probeSql: ProbeSql): ResolvedMetric {
  const table = names.table(metric.table);
  const timeColumn = metric.time_column ? names.column(metric.time_column) : null;
  const where = metric.filters.length ? ` WHERE ${metric.filters.map((filter) => `(${filter})`).join(' AND ')}` : '';
  probeSql('the expression', `SELECT ${metric.expression} FROM ${names.sqlName(table)}${where}`, false);
  return {
    name: metric.name,
    synonyms: metric.synonyms,
    description: metric.description ?? null,
    table,
    expression: metric.expression,
    filters: metric.filters,
    timeColumn,
  };
}

function resolveJoinHint(hint: JoinHint, names: SchemaNames): ResolvedJoinHint {
  return { from: names.column(hint.from), to: names.column(hint.to), note: hint.note ?? null };
}

/** Looks names up in the live schema, with close matches for the ones it cannot find. */
class SchemaNames {
  private readonly tables: TableMeta[];

  constructor(private readonly meta: SchemaMeta) {
    this.tables = meta.schemas.flatMap((schema) => schema.tables);
  }

  table(name: string): KnowledgeTable {
    const parts = name.split('.');
    const wanted = parts.at(-1)!.toLowerCase();
    const schema = parts.length > 1 ? parts[0].toLowerCase() : null;
    const found = this.tables.filter(
      (table) => table.name.toLowerCase() === wanted && (schema === null || this.schemaMatches(table.schema, schema)),
    );
    if (found.length === 1) return { schema: found[0].schema, name: found[0].name };
    if (found.length > 1)
      throw new Error(`table "${name}" is ambiguous (${found.map((table) => `${table.schema}.${table.name}`).join(', ')}); qualify it`);
    throw new Error(
      `unknown table "${name}"${closeMatches(
        wanted,
        this.tables.map((table) => table.name),
      )}`,
    );
  }

  column(name: string): KnowledgeColumn {
    const parts = name.split('.');
    const columnName = parts.pop()!;
    const table = this.table(parts.join('.'));
    const meta = this.tables.find((candidate) => candidate.schema === table.schema && candidate.name === table.name)!;
    const column = meta.columns.find((candidate) => candidate.name.toLowerCase() === columnName.toLowerCase());
    if (!column)
      throw new Error(
        `unknown column "${columnName}" of table ${table.name}${closeMatches(
          columnName.toLowerCase(),
          meta.columns.map((candidate) => candidate.name),
        )}`,
      );
    return { ...table, column: column.name };
  }

  /** The table as SQL names it: qualified outside the default schema. */
  sqlName(table: KnowledgeTable): string {
    return displayTableName(table, homeSchemaOf(this.meta));
  }

  /** A logical schema name matches its physical one on MySQL (`analytics` ↔ `shop_analytics`). */
  private schemaMatches(actual: string, wanted: string): boolean {
    const lower = actual.toLowerCase();
    return lower === wanted || lower.endsWith(`_${wanted}`);
  }
}

/** The schema unqualified names live in: `public` when there is one, else the shortest name (MySQL's own database). */
export function homeSchemaOf(meta: SchemaMeta): string {
  const names = meta.schemas.map((schema) => schema.name);
  return names.includes('public') ? 'public' : ([...names].sort((left, right) => left.length - right.length)[0] ?? 'public');
}

/** A table as SQL and prompts name it: bare in the home schema, qualified elsewhere. */
export function displayTableName(table: KnowledgeTable, homeSchema: string): string {
  return table.schema === homeSchema ? table.name : `${table.schema}.${table.name}`;
}

/** `; close matches: a, b` for names within a small edit distance, or nothing. */
function closeMatches(wanted: string, candidates: readonly string[]): string {
  const close = [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter((entry) => entry.distance <= Math.max(2, Math.floor(wanted.length / 3)) || entry.candidate.toLowerCase().includes(wanted))
    .sort((left, right) => left.distance - right.distance)
    .slice(0, 3)
    .map((entry) => entry.candidate);
  return close.length ? `; close matches: ${close.join(', ')}` : '; no close match';
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
