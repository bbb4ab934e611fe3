import type { MetadataHit, TableDescription } from '../../src/agent/index.ts';
import { findDateRange, type DateRange } from '../../src/llm/offline/date-range.ts';
import { planQuery, type PlanOutcome, type PlanningInput } from '../../src/llm/offline/query-planner.ts';
import { readQuestionShape } from '../../src/llm/offline/question-shape.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { SchemaCatalogue } from '../../src/llm/offline/schema-catalogue.ts';
import { writeSql } from '../../src/llm/offline/sql-writer.ts';

type Column = TableDescription['columns'][number];

/** A column as show_table describes it (not null; `id` is the primary key), for the offline model's unit tests. */
export const column = (name: string, family: NonNullable<Column['family']>, extra: Partial<Column> = {}): Column => ({
  name,
  type: family,
  ...(name === 'id' ? { primaryKey: true as const } : {}),
  ...extra,
});

/** A table of the public schema with an `id` key and about 100 rows, as show_table describes it. */
export const table = (name: string, comment: string, columns: TableDescription['columns']): TableDescription => ({
  name: `public.${name}`,
  kind: 'table',
  comment,
  rowEstimate: 100,
  primaryKey: ['id'],
  columns,
  referencedBy: [],
});

/** The day date phrases of the planner's unit tests are read against. */
export const plannerToday = '2026-06-15';

/**
 * The planner's outcome for a question against `tables`, all of them shown, as the offline model plans it
 * after its searches; `today` is the prompt's (ages are counted to it), absent unless given.
 */
export function planOn(
  tables: TableDescription[],
  question: string,
  options: {
    hits?: MetadataHit[];
    today?: string | null;
    knowledge?: PlanningInput['knowledge'];
    showsLeft?: number;
    /** Values a value lookup found (table, column, value). */
    found?: ConstructorParameters<typeof SchemaCatalogue>[1];
  } = {},
): PlanOutcome {
  const words = wordsOf(question);
  const date = findDateRange(words, options.today === undefined ? plannerToday : options.today);
  const shape = readQuestionShape(words, new Set(date?.wordIndices ?? []));
  if (!shape) throw new Error(`no shape for "${question}"`);
  return planQuery({
    words,
    shape,
    dateRange: (date as DateRange | null) ?? null,
    catalogue: new SchemaCatalogue(tables, options.found ?? []),
    hits: options.hits ?? [],
    requested: tables.map((description) => description.name),
    showsLeft: options.showsLeft ?? 0,
    rowLimit: null,
    revision: 0,
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.knowledge ? { knowledge: options.knowledge } : {}),
  });
}

/** The SQL the planner writes for a question against `tables`; throws when it does not plan one. */
export function sqlOn(
  tables: TableDescription[],
  question: string,
  options: {
    hits?: MetadataHit[];
    today?: string | null;
    dialect?: 'postgres' | 'mysql';
    unrounded?: boolean;
    knowledge?: PlanningInput['knowledge'];
    found?: ConstructorParameters<typeof SchemaCatalogue>[1];
  } = {},
): string {
  const outcome = planOn(tables, question, options);
  if (outcome.kind !== 'plan') throw new Error(`"${question}" was not planned: ${JSON.stringify(outcome)}`);
  return writeSql(
    outcome.plan,
    new SchemaCatalogue(tables, options.found ?? []),
    options.dialect ?? 'postgres',
    options.unrounded ? { unrounded: true } : undefined,
  );
}
