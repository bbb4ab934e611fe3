import type { Execution } from './conversation-reader.ts';
import { unplacedWords } from './coverage.ts';
import type { QueryPlan } from './query-plan.ts';
import { wordsOf, type Word } from './question-words.ts';
import { lookupValueLimit, splitQualified, type FoundValue, type SchemaCatalogue } from './schema-catalogue.ts';
import type { Mention } from './schema-linker.ts';

/** The output columns that mark a value lookup among the executions (and that the reader parses back). */
const lookupColumns = ['lookup_table', 'lookup_column', 'lookup_value'] as const;
/** How a lookup's SQL starts. */
const lookupPrefix = `SELECT DISTINCT ${lookupColumns.join(', ')}, CHAR_LENGTH(lookup_value) AS lookup_length FROM (`;
/** The most words one lookup searches for, and the most values it returns (the shortest first). */
const maximumWords = 5;
const maximumValues = lookupValueLimit;
/** The most columns one lookup reads. */
const maximumColumns = 16;

/** Whether an execution is a value lookup (its SQL selects the lookup columns). */
export function isValueLookup(execution: Pick<Execution, 'sql'>): boolean {
  return execution.sql.startsWith(lookupPrefix);
}

/** The values the conversation's lookups found (none when a lookup failed). */
export function foundValues(executions: readonly Execution[]): FoundValue[] {
  const found: FoundValue[] = [];
  for (const execution of executions) {
    if (!isValueLookup(execution) || execution.error) continue;
    const indices = lookupColumns.map((name) => execution.columns.indexOf(name));
    if (indices.some((index) => index < 0)) continue;
    for (const row of execution.rows) {
      if (!Array.isArray(row)) continue;
      const [table, column, value] = indices.map((index) => row[index]);
      if (typeof table === 'string' && typeof column === 'string' && typeof value === 'string') found.push({ table, column, value });
    }
  }
  return found;
}

/**
 * The words a lookup searches for: content words of the question that no link to the schema or the
 * knowledge covers and that the question's structure does not take ("Canada", "Pediatrics", a product's
 * name), as their singular stems, at most five.
 */
export function lookupWords(words: readonly Word[], skip: ReadonlySet<number>, mentions: readonly Mention[]): string[] {
  const placed = new Set(skip);
  for (const mention of mentions) for (let index = mention.start; index < mention.end; index += 1) placed.add(index);
  const searched = unplacedWords(words, placed)
    .filter((word) => !word.isNumber && /^\p{L}{3,}$/u.test(word.lower))
    .map((word) => (word.stem.length >= 3 && word.lower.startsWith(word.stem) ? word.stem : word.lower));
  return [...new Set(searched)].slice(0, maximumWords);
}

/**
 * A read-only lookup, as a model would run one, of the stored values that contain one of the words, over
 * the text columns of the shown tables whose values the samples do not already list in full. It only fetches candidates: a value links to the question
 * later only where all its words stand in the question, whole and in order. Null when no column qualifies.
 */
export function valueLookupSql(catalogue: SchemaCatalogue, words: readonly string[]): string | null {
  if (words.length === 0) return null;
  const searchable = catalogue.tables
    .flatMap((table) => table.columns)
    .filter((column) => column.family === 'text' && !column.primaryKey && !column.references);
  // Columns of few values sampled in part first, then those of many values (no samples); a column with
  // one to four sample values has no others.
  const columns = [
    ...searchable.filter((column) => column.sampleValues.length >= 5),
    ...searchable.filter((column) => column.sampleValues.length === 0),
  ].slice(0, maximumColumns);
  if (columns.length === 0) return null;
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const branches = columns.map((column) => {
    const [schema, name] = splitQualified(column.table.qualifiedName);
    const relation = schema === 'public' ? name : `${schema}.${name}`;
    const matches = words.map((word) => `LOWER(${column.name}) LIKE ${literal(`%${word.replace(/[%_\\]/g, '')}%`)}`).join(' OR ');
    return `SELECT ${literal(column.table.qualifiedName)} AS lookup_table, ${literal(column.name)} AS lookup_column, ${column.name} AS lookup_value FROM ${relation} WHERE ${matches}`;
  });
  return `${lookupPrefix}${branches.join(' UNION ALL ')}) found ORDER BY lookup_length, lookup_value, lookup_table, lookup_column LIMIT ${maximumValues}`;
}

/**
 * The words of values the plan reads from a joined table while the base table has a like-named text column
 * whose samples do not list them ("shipped to Australia": `regions.country` sampled it, but
 * `orders.shipping_country` may hold it too). Looking them up lets the planner weigh both columns.
 */
export function doubtfulValueWords(plan: QueryPlan, catalogue: SchemaCatalogue): string[] {
  const base = catalogue.table(plan.base);
  if (!base) return [];
  const words: string[] = [];
  for (const condition of plan.conditions) {
    if (condition.kind !== 'equals' || condition.column.table === plan.base) continue;
    const column = catalogue.table(condition.column.table)?.columns.find((candidate) => candidate.name === condition.column.column);
    if (!column) continue;
    const nameStems = new Set(column.nameWords.filter((word) => word.lower.length >= 4).map((word) => word.stem));
    const rival = base.columns.find(
      (candidate) =>
        candidate.family === 'text' &&
        !candidate.primaryKey &&
        (candidate.sampleValues.length === 0 || candidate.sampleValues.length >= 5) &&
        candidate.nameWords.some((word) => nameStems.has(word.stem)) &&
        !condition.values.some((value) => candidate.sampleValues.includes(value)),
    );
    if (rival)
      for (const value of condition.values)
        words.push(
          ...wordsOf(value)
            .filter((word) => /^\p{L}{3,}$/u.test(word.lower))
            .map((word) => word.lower),
        );
  }
  return [...new Set(words)].slice(0, maximumWords);
}

/**
 * A lookup, shaped like `valueLookupSql`'s, of the stored values of one column that contain one of the
 * words: what a model runs to learn whether "Sao Paulo" is a value of the column an example compares.
 */
export function columnLookupSql(qualifiedTable: string, column: string, words: readonly string[]): string | null {
  const searched = words.map((word) => word.replace(/[%_\\]/g, '')).filter((word) => word.length >= 3);
  if (searched.length === 0 || !/^[A-Za-z_][\w$]*$/.test(column)) return null;
  const [schema, name] = splitQualified(qualifiedTable);
  const relation = schema === 'public' ? name : `${schema}.${name}`;
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const matches = searched.map((word) => `LOWER(${column}) LIKE ${literal(`%${word.toLowerCase()}%`)}`).join(' OR ');
  return `${lookupPrefix}SELECT ${literal(qualifiedTable)} AS lookup_table, ${literal(column)} AS lookup_column, ${column} AS lookup_value FROM ${relation} WHERE ${column} IS NOT NULL AND (${matches})) found ORDER BY lookup_length, lookup_value, lookup_table, lookup_column LIMIT ${maximumValues}`;
}

/** Whether an execution is a one-column lookup for an example (`columnLookupSql`), not the planner's own. */
export function isColumnLookup(execution: Pick<Execution, 'sql'>): boolean {
  return isValueLookup(execution) && execution.sql.includes(' IS NOT NULL AND (');
}

/** The columns (`schema.table.column`) the conversation's one-column lookups searched. */
export function lookedUpColumns(executions: readonly Execution[]): string[] {
  return executions.filter(isColumnLookup).flatMap((execution) => {
    const match = / FROM \(SELECT '([^']+)' AS lookup_table, '([^']+)' AS lookup_column/.exec(execution.sql);
    return match ? [`${match[1]}.${match[2]}`] : [];
  });
}
