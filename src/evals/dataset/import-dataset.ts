import { readFile } from 'node:fs/promises';
import { stringify as stringifyYaml } from 'yaml';
import { EvalDatasetError, InvalidInputError } from '../../errors/index.ts';
import { evalCaseSchema, type Difficulty, type EvalCaseInput } from './eval-case.ts';

/** Public benchmark formats `eval import` reads. */
export const importFormats = ['spider', 'bird'] as const;
export type ImportFormat = (typeof importFormats)[number];

export interface ImportOptions {
  format: ImportFormat;
  /** The new dataset's name: case ids become `<name>-0001`… */
  name: string;
  /** Benchmark database id → our datasource id; every `db_id` in the file must be mapped. */
  datasourceMap: Readonly<Record<string, string>>;
  /** BIRD's `evidence` (external knowledge) is appended to the question as a hint unless `drop`. Default `append`. */
  evidence?: 'append' | 'drop';
}

export interface ImportResult {
  cases: EvalCaseInput[];
  /** YAML text of the dataset file. */
  yaml: string;
  /** Entries by database id. */
  byDatabase: Record<string, number>;
}

/**
 * Converts a Spider (`question`, `query`, `db_id`) or BIRD (`question`, `SQL`, `db_id`, `evidence`,
 * `difficulty`) file — a JSON array or JSON lines — into an eval dataset, so the public benchmarks can run
 * against users' own copies of those databases. The gold SQL is taken as it is (both benchmarks are
 * written for SQLite; `eval validate` tells which statements need a dialect of their own).
 */
export async function importBenchmark(file: string, options: ImportOptions): Promise<ImportResult> {
  if (!/^[a-z0-9][a-z0-9_-]{0,60}$/.test(options.name)) throw new InvalidInputError(`--name ${options.name}: a dataset name uses lower-case letters, digits, _ and -.`, { field: 'name' });
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new EvalDatasetError(`${file}: cannot read it (${error.code ?? error.message}).`, { file });
  });
  const entries = parseEntries(file, text);
  const unmapped = [...new Set(entries.map((entry) => entry.value.db_id).filter((id): id is string => typeof id === 'string' && !(id in options.datasourceMap)))];
  if (unmapped.length) {
    throw new InvalidInputError(`${file}: these db_id values have no --datasource-map entry: ${unmapped.slice(0, 10).join(', ')}${unmapped.length > 10 ? ', …' : ''}. Map each with --datasource-map <db_id>=<datasource>.`, { field: 'datasource-map' });
  }
  const byDatabase: Record<string, number> = {};
  const cases = entries.map(({ value, where }, index) => {
    const question = typeof value.question === 'string' ? value.question.trim() : '';
    const sql = options.format === 'spider' ? value.query : (value.SQL ?? value.sql);
    const databaseId = value.db_id;
    if (typeof databaseId !== 'string' || !databaseId) throw new EvalDatasetError(`${file}: ${where}: "db_id" is missing.`, { file });
    if (!question) throw new EvalDatasetError(`${file}: ${where}: "question" is missing or empty.`, { file });
    if (typeof sql !== 'string' || !sql.trim()) throw new EvalDatasetError(`${file}: ${where}: "${options.format === 'spider' ? 'query' : 'SQL'}" is missing or empty (is this a ${options.format} file?).`, { file });
    const evidence = typeof value.evidence === 'string' ? value.evidence.trim() : '';
    byDatabase[databaseId] = (byDatabase[databaseId] ?? 0) + 1;
    const input: EvalCaseInput = {
      id: `${options.name}-${String(index + 1).padStart(4, '0')}`,
      datasource: options.datasourceMap[databaseId],
      question: (evidence && options.evidence !== 'drop' ? `${question} (Hint: ${evidence})` : question).replace(/\s+/g, ' '),
      sql: sql.trim().replace(/;\s*$/, ''),
      difficulty: options.format === 'bird' ? birdDifficulty(value.difficulty) ?? estimateDifficulty(sql) : estimateDifficulty(sql),
      tags: [options.format, tagOf(databaseId)],
    };
    const checked = evalCaseSchema.safeParse(input);
    if (!checked.success) throw new EvalDatasetError(`${file}: ${where}: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}.`, { file });
    return input;
  });
  if (cases.length === 0) throw new EvalDatasetError(`${file}: no entries to import.`, { file });
  const yaml = stringifyYaml(
    { description: `Imported from ${options.format} file ${file} (${cases.length} cases). Gold SQL as in the source; run \`sqlagent eval validate --dataset ${options.name}\`.`, cases },
    { lineWidth: 0 },
  );
  return { cases, yaml, byDatabase };
}

function parseEntries(file: string, text: string): Array<{ value: Record<string, unknown>; where: string }> {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new EvalDatasetError(`${file}: not valid JSON (${(error as Error).message}).`, { file });
    }
    return (parsed as unknown[]).map((value, index) => ({ value: asObject(file, value, `entry ${index + 1}`), where: `entry ${index + 1}` }));
  }
  return trimmed.split('\n').flatMap((line, index) => {
    if (!line.trim()) return [];
    try {
      return [{ value: asObject(file, JSON.parse(line), `line ${index + 1}`), where: `line ${index + 1}` }];
    } catch (error) {
      if (error instanceof EvalDatasetError) throw error;
      throw new EvalDatasetError(`${file}: line ${index + 1}: not valid JSON (expected a JSON array, or one object per line).`, { file });
    }
  });
}

function asObject(file: string, value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new EvalDatasetError(`${file}: ${where}: expected an object with question, query/SQL and db_id.`, { file });
  return value as Record<string, unknown>;
}

function birdDifficulty(value: unknown): Difficulty | null {
  return value === 'simple' ? 'simple' : value === 'moderate' ? 'medium' : value === 'challenging' ? 'hard' : null;
}

/**
 * A rough difficulty from the SQL's shape (Spider ships none in its files): nesting, set operations or
 * HAVING, or two joins or more, are hard; one join or grouping is medium; the rest simple.
 */
export function estimateDifficulty(sql: string): Difficulty {
  const text = sql.toUpperCase().replace(/'(?:[^']|'')*'/g, "''");
  const joins = (text.match(/\bJOIN\b/g) ?? []).length;
  const nested = (text.match(/\(\s*SELECT\b/g) ?? []).length;
  if (nested > 0 || /\b(UNION|INTERSECT|EXCEPT|HAVING)\b/.test(text) || joins >= 2) return 'hard';
  if (joins === 1 || /\bGROUP BY\b/.test(text) || /\bORDER BY\b.*\bLIMIT\b/.test(text)) return 'medium';
  return 'simple';
}

function tagOf(databaseId: string): string {
  const tag = databaseId.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 50);
  return tag || 'db';
}
