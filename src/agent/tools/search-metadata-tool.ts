import { z } from 'zod';
import { searchMetadata } from '../schema-search/index.ts';
import type { AgentTool } from './agent-tool.ts';

const input = z
  .object({
    query: z
      .string()
      .min(1)
      .max(500)
      .describe('Keywords: concepts, column or table names, or values (for example "Germany" or "revenue by category").'),
    limit: z.number().int().min(1).max(25).optional().describe('Most hits to return (default 8).'),
  })
  .strict();

/** Ranks tables and columns against keywords (BM25 over names, comments and sample values), with reasons. */
export const searchMetadataTool: AgentTool<z.infer<typeof input>> = {
  name: 'search_metadata',
  description:
    'Find the tables and columns that match keywords or values in the question. Matches names, comments and sample values, and says why each hit matched.',
  input,
  async run({ query, limit }, context) {
    const hits = searchMetadata(context.meta, query, { limit: limit ?? 8 });
    return {
      content: { hits },
      summary: hits.length
        ? `${hits.length} hits; best ${hits
            .slice(0, 3)
            .map((hit) => (hit.column ? `${hit.schema}.${hit.table}.${hit.column}` : `${hit.schema}.${hit.table}`))
            .join(', ')}`
        : 'no hits',
    };
  },
};
