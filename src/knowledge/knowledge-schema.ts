import { z } from 'zod';

/** A name of the live schema: `table` (searched in every schema), or `schema.table`. */
const tableName = z.string().regex(/^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)?$/, 'a table name such as "doctors" or "analytics.sales_summary"');
/** `table.column` or `schema.table.column`. */
const columnName = z.string().regex(/^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*){1,2}$/, 'a column as "table.column" (or "schema.table.column")');
const phrase = z.string().trim().min(1).max(200);
const sqlText = z.string().trim().min(1).max(4000);

/**
 * A business term and what it means in this database: exactly one of
 * - `table`: the term names a table ("physicians" → `doctors`);
 * - `column`: the term names a column ("ward" → `departments.name`);
 * - `column` + `value`: the term is a value of a column ("women" → `patients.sex = 'F'`);
 * - `table` + `condition`: the term is a row condition on a table ("new patient" → `registered_on >= …`).
 */
export const glossaryEntrySchema = z
  .object({
    term: phrase,
    synonyms: z.array(phrase).max(50).default([]),
    description: z.string().max(1000).optional(),
    table: tableName.optional(),
    column: columnName.optional(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    condition: sqlText.optional(),
  })
  .strict()
  .superRefine((entry, context) => {
    const valid =
      (entry.table && !entry.column && entry.value === undefined) || (entry.column && !entry.table && entry.condition === undefined);
    if (!valid)
      context.addIssue({
        code: 'custom',
        message: 'give exactly one of: table; column; column and value; table and condition',
      });
  });

/** A named measure: `expression` is an aggregate over `table` (columns written `table.column`). */
export const metricSchema = z
  .object({
    name: phrase,
    synonyms: z.array(phrase).max(50).default([]),
    description: z.string().max(1000).optional(),
    table: tableName,
    expression: sqlText,
    /** Row conditions that always apply to the measure (SQL, ANDed). */
    filters: z.array(sqlText).max(20).default([]),
    /** The date or timestamp column that periods ("in 2024", "per month") apply to. */
    time_column: columnName.optional(),
  })
  .strict();

/** A join the foreign keys do not declare (or one of several that should be preferred). */
export const joinHintSchema = z.object({ from: columnName, to: columnName, note: z.string().max(1000).optional() }).strict();

export const exampleStatuses = ['candidate', 'verified', 'rejected'] as const;
export type ExampleStatus = (typeof exampleStatuses)[number];

/** A question and the SQL that answers it, with who vouched for it and when. */
export const exampleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'lower-case letters, digits, "-" and "_" (at most 80)'),
    question: z.string().trim().min(3).max(1000),
    sql: sqlText,
    status: z.enum(exampleStatuses).default('verified'),
    verified_by: z.string().max(200).optional(),
    verified_at: z.string().max(40).optional(),
    /** Where a candidate came from, e.g. `feedback:<traceId>`. */
    source: z.string().max(300).optional(),
  })
  .strict();

export const knowledgeFileSchema = z
  .object({
    glossary: z.array(glossaryEntrySchema).max(2000).default([]),
    metrics: z.array(metricSchema).max(500).default([]),
    join_hints: z.array(joinHintSchema).max(500).default([]),
    examples: z.array(exampleSchema).max(20000).default([]),
  })
  .strict();

export type GlossaryEntry = z.infer<typeof glossaryEntrySchema>;
export type Metric = z.infer<typeof metricSchema>;
export type JoinHint = z.infer<typeof joinHintSchema>;
export type KnowledgeExample = z.infer<typeof exampleSchema>;
export type KnowledgeFile = z.infer<typeof knowledgeFileSchema>;
