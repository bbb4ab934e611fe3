import { z } from 'zod';
import { describeTable, findTable } from '../schema-search/index.ts';
import type { AgentTool } from './agent-tool.ts';

const input = z
  .object({
    table: z
      .string()
      .min(1)
      .max(200)
      .describe('A table or view name, optionally schema-qualified (for example "orders" or "analytics.sales_summary").'),
  })
  .strict();

/** Columns with types, keys, references (both ways), comments, sample values and a row estimate. */
export const showTableTool: AgentTool<z.infer<typeof input>> = {
  name: 'show_table',
  description:
    'Show one table: columns with types, keys, foreign keys in and out, comments, sample values and the row estimate. An unknown name lists close matches.',
  input,
  async run({ table }, context) {
    const found = findTable(context.meta, table);
    if ('error' in found)
      return { content: { error: found.error, suggestions: found.suggestions }, summary: found.error, error: found.error };
    const description = describeTable(context.meta, found.table);
    return { content: description, summary: `${found.table.schema}.${found.table.name}: ${found.table.columns.length} columns` };
  },
};
