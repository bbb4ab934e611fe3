import { z } from 'zod';
import { tokenize } from '../../text/index.ts';
import { searchMetadata } from '../schema-search/index.ts';
import type { KnowledgeHit, SearchMetadataContent } from '../tool-results.ts';
import type { AgentTool, ToolContext } from './agent-tool.ts';

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

/** The stemmed words of a glossary term or synonym: the same few hundred phrases on every search, tokenized once. */
const phraseTermsCache = new Map<string, string[]>();
function termsOfPhrase(phrase: string): string[] {
  let terms = phraseTermsCache.get(phrase);
  if (!terms) {
    if (phraseTermsCache.size >= 20_000) phraseTermsCache.clear();
    terms = tokenize(phrase);
    phraseTermsCache.set(phrase, terms);
  }
  return terms;
}

/**
 * Glossary terms and metrics whose words all occur in the query (a term or one of its synonyms, compared
 * word by word after stemming, so "physicians" finds the synonym "physician"), each with the reason.
 */
export function matchKnowledge(query: string, knowledge: ToolContext['knowledge']): KnowledgeHit[] {
  if (!knowledge) return [];
  const queryTerms = new Set(tokenize(query));
  const contained = (phrase: string) => {
    const terms = termsOfPhrase(phrase);
    return terms.length > 0 && terms.every((term) => queryTerms.has(term));
  };
  const hits: KnowledgeHit[] = [];
  const consider = (kind: KnowledgeHit['kind'], name: string, synonyms: readonly string[], meaning: string) => {
    if (contained(name)) hits.push({ kind, name, meaning, reason: `${kind === 'metric' ? 'metric' : 'term'} "${name}"` });
    else {
      const synonym = synonyms.find(contained);
      if (synonym !== undefined) hits.push({ kind, name, meaning, reason: `synonym "${synonym}" of "${name}"` });
    }
  };
  for (const entry of knowledge.glossary) consider('glossary', entry.term, entry.synonyms, entry.meaning);
  for (const metric of knowledge.metrics) consider('metric', metric.name, metric.synonyms, metric.meaning);
  return hits;
}

/**
 * Ranks tables and columns against keywords (BM25 over names, comments and sample values), with reasons,
 * and names the glossary terms and metrics the keywords contain.
 */
export const searchMetadataTool: AgentTool<z.infer<typeof input>> = {
  name: 'search_metadata',
  description:
    'Find the tables and columns that match keywords or values in the question. Matches names, comments and sample values, and says why each hit matched.',
  input,
  async run({ query, limit }, context) {
    const hits = searchMetadata(context.meta, query, { limit: limit ?? 8 });
    const knowledge = matchKnowledge(query, context.knowledge);
    const content: SearchMetadataContent = { hits, knowledge };
    const knowledgeSummary = knowledge.length ? `; knowledge: ${knowledge.map((hit) => hit.name).join(', ')}` : '';
    return {
      content,
      summary: hits.length
        ? `${hits.length} hits; best ${hits
            .slice(0, 3)
            .map((hit) => (hit.column ? `${hit.schema}.${hit.table}.${hit.column}` : `${hit.schema}.${hit.table}`))
            .join(', ')}${knowledgeSummary}`
        : `no hits${knowledgeSummary}`,
    };
  },
};
