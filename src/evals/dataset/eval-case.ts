import { z } from 'zod';

/** How hard a case is, as its author judged it; the report breaks accuracy down by it. */
export const difficulties = ['simple', 'medium', 'hard'] as const;
export type Difficulty = (typeof difficulties)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const sqlText = z.string().trim().min(1, 'the SQL is empty');

/**
 * One eval case as written in a dataset file. Gold SQL is `sql` when one statement runs on every engine,
 * or `sql_postgres` and `sql_mysql` where the dialects differ (a dialect without its own falls back to `sql`).
 */
export const evalCaseSchema = z
  .object({
    /** Unique within the dataset, e.g. `shop-017`; letters, digits, `_`, `-`, `.`. */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'use letters, digits, _, - and . (at most 100)'),
    /** A datasource id: a fixture (`shop`, `clinic`) or any configured datasource. */
    datasource: z.string().min(1).max(100),
    /** The question as a user would ask it. */
    question: z.string().trim().min(1, 'the question is empty').max(2000),
    sql: sqlText.optional(),
    sql_postgres: sqlText.optional(),
    sql_mysql: sqlText.optional(),
    difficulty: z.enum(difficulties),
    tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'use lower-case letters, digits, _ and -')).default([]),
    /** Whether row order counts. Default: the gold SQL has a top-level ORDER BY. */
    order_matters: z.boolean().optional(),
    /** The "today" relative dates in the question mean; default: the datasource's pinned today. */
    today: isoDate.optional(),
    /** The gold result is empty on purpose (otherwise an empty gold result is a dataset error). */
    expect_empty: z.boolean().default(false),
    /** Free notes for people (why the gold is what it is); never shown to the model. */
    note: z.string().optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (!value.sql && !(value.sql_postgres && value.sql_mysql)) {
      context.addIssue({ code: 'custom', message: 'give the gold SQL as `sql`, or as both `sql_postgres` and `sql_mysql`', path: ['sql'] });
    }
  });

export type EvalCaseInput = z.input<typeof evalCaseSchema>;
export type EvalCaseRecord = z.output<typeof evalCaseSchema>;

/** A dataset file: a list of cases, or an object with a description and the cases. */
export const datasetFileSchema = z.union([
  z.array(z.unknown()),
  z.object({ description: z.string().optional(), cases: z.array(z.unknown()) }).strict(),
]);

/** A case as the runner uses it: validated, with its dataset and the gold resolved per dialect. */
export interface EvalCase {
  id: string;
  /** The dataset the case comes from (its file name without the extension). */
  dataset: string;
  datasource: string;
  question: string;
  /** Gold SQL by dialect. */
  gold: { postgres: string | null; mysql: string | null };
  difficulty: Difficulty;
  tags: string[];
  /** Explicit `order_matters`, or null to decide from the gold SQL (a top-level ORDER BY). */
  orderMatters: boolean | null;
  today: string | null;
  expectEmpty: boolean;
}

/** A loaded dataset. */
export interface EvalDataset {
  name: string;
  file: string;
  description: string | null;
  cases: EvalCase[];
  /** SHA-256 of the file's bytes, so a report says exactly which dataset it measured. */
  sha256: string;
}
