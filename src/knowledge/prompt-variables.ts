import type { SchemaMeta } from '../datasource/index.ts';
import { editDistance, estimateTokens, isStopWord, splitWords, stem } from '../text/index.ts';
import { displayTableName, homeSchemaOf, type KnowledgeColumn } from './check-knowledge.ts';
import type { RetrievedExample } from './example-retrieval.ts';
import type { LoadedKnowledge } from './knowledge-service.ts';

/** The knowledge a template sees, per question. */
export interface KnowledgePromptVariables {
  /** Terms with what each means in this database, as one readable line (`meaning`). */
  glossary: Array<{ term: string; synonyms: string[]; meaning: string; description: string }>;
  /** Named measures: the aggregate expression, its table, filters and time column. */
  metrics: Array<{
    name: string;
    synonyms: string[];
    expression: string;
    table: string;
    filters: string[];
    time_column: string | null;
    meaning: string;
    description: string;
  }>;
  join_hints: Array<{ from: string; to: string; note: string }>;
  /** The verified examples closest to this question (retrieved, not fixed per prompt version). */
  examples: Array<{ id: string; question: string; sql: string; similarity: number }>;
}

/** Template variables for one question: the datasource's glossary, metrics and join hints, and the retrieved examples. */
export function knowledgePromptVariables(
  knowledge: LoadedKnowledge | null,
  retrieved: readonly RetrievedExample[],
  meta: SchemaMeta,
): KnowledgePromptVariables {
  const examples = retrieved.map((hit) => ({
    id: hit.example.id,
    question: hit.example.question,
    sql: hit.example.sql,
    similarity: hit.similarity,
  }));
  if (!knowledge) return { ...describedKnowledge(null, meta), examples };
  // The glossary, metrics and join hints depend only on the knowledge and the schema: described once, and
  // the same arrays every time (a cache hit, the compiled-prompt memo and `questionKnowledge` rely on it).
  let described = describedByKnowledge.get(knowledge);
  if (!described || described.meta !== meta) {
    described = { meta, variables: describedKnowledge(knowledge, meta) };
    describedByKnowledge.set(knowledge, described);
  }
  return { ...described.variables, examples };
}

const describedByKnowledge = new WeakMap<LoadedKnowledge, { meta: SchemaMeta; variables: Omit<KnowledgePromptVariables, 'examples'> }>();

function describedKnowledge(knowledge: LoadedKnowledge | null, meta: SchemaMeta): Omit<KnowledgePromptVariables, 'examples'> {
  const home = homeSchemaOf(meta);
  const column = (reference: KnowledgeColumn) => `${displayTableName(reference, home)}.${reference.column}`;
  const checked = knowledge?.checked;
  return {
    glossary: (checked?.glossary ?? []).map((entry) => {
      const target = entry.target;
      const meaning =
        target.kind === 'table'
          ? `table ${displayTableName(target.table, home)}`
          : target.kind === 'column'
            ? `column ${column(target.column)}`
            : target.kind === 'value'
              ? `${column(target.column)} = '${target.value.replace(/'/g, "''")}'`
              : `${displayTableName(target.table, home)} rows where ${target.condition}`;
      return { term: entry.term, synonyms: entry.synonyms, meaning, description: entry.description ?? '' };
    }),
    metrics: (checked?.metrics ?? []).map((metric) => {
      const table = displayTableName(metric.table, home);
      const timeColumn = metric.timeColumn ? column(metric.timeColumn) : null;
      const meaning = `${metric.expression} over ${table}${metric.filters.length ? ` where ${metric.filters.join(' AND ')}` : ''}${timeColumn ? `; dated by ${timeColumn}` : ''}`;
      return {
        name: metric.name,
        synonyms: metric.synonyms,
        expression: metric.expression,
        table,
        filters: metric.filters,
        time_column: timeColumn,
        meaning,
        description: metric.description ?? '',
      };
    }),
    join_hints: (checked?.joinHints ?? []).map((hint) => ({ from: column(hint.from), to: column(hint.to), note: hint.note ?? '' })),
  };
}

/**
 * The glossary and metrics a prompt shows for one question (`question_glossary`, `question_metrics`): all
 * of them while they fit the budget, else the entries one of whose phrases (the term or a synonym, the
 * metric's name or a synonym) the question contains, every content word of it, a typo of one letter
 * allowed in words of five letters or more. `knowledge_omitted` counts what is left for `search_metadata`,
 * which finds terms and metrics too.
 */
export interface QuestionKnowledge {
  question_glossary: KnowledgePromptVariables['glossary'];
  question_metrics: KnowledgePromptVariables['metrics'];
  knowledge_omitted: number;
}

/** The default budget of the prompt's glossary and metrics, in tokens. */
export const defaultKnowledgeListingTokens = 400;

/** What `questionKnowledge` needs of a glossary and its metrics, worked out once per (stable) glossary array. */
interface PreparedKnowledge {
  /** Tokens of the lines a template writes for every entry, about. */
  cost: number;
  /** Per entry, the stems of each of its phrases (see `phraseStems`). */
  glossaryPhrases: Phrase[][];
  metricPhrases: Phrase[][];
  /** Choices made, by the question's content stems (the same question asked again costs nothing). */
  chosen: Map<string, QuestionKnowledge & { key: string }>;
}

/** Choices kept per glossary: enough for the questions a service sees repeated. */
const chosenKept = 1000;

const preparedKnowledge = new WeakMap<object, PreparedKnowledge>();

function prepared(variables: Pick<KnowledgePromptVariables, 'glossary' | 'metrics'>): PreparedKnowledge {
  let entry = preparedKnowledge.get(variables.glossary);
  if (entry === undefined) {
    const lines = [
      ...variables.glossary.map((term) => `- "${term.term}" (also: ${term.synonyms.join(', ')}) = ${term.meaning}. ${term.description}`),
      ...variables.metrics.map(
        (metric) => `- "${metric.name}" (also: ${metric.synonyms.join(', ')}) = ${metric.meaning}. ${metric.description}`,
      ),
    ];
    entry = {
      cost: estimateTokens(lines.join('\n')).tokens,
      glossaryPhrases: variables.glossary.map((term) => [term.term, ...term.synonyms].map(phraseStems)),
      metricPhrases: variables.metrics.map((metric) => [metric.name, ...metric.synonyms].map(phraseStems)),
      chosen: new Map(),
    };
    preparedKnowledge.set(variables.glossary, entry);
  }
  return entry;
}

const contentStems = (text: string) =>
  splitWords(text)
    .filter((word) => !isStopWord(word))
    .map((word) => stem(word));

const allStems = (text: string) => splitWords(text).map((word) => stem(word));

/**
 * A phrase's content-word stems; for a phrase made of stop words only ("no-show"), all of its words, which
 * the question must then hold as well (else it could never be mentioned).
 */
const phraseStems = (text: string): Phrase => {
  const content = contentStems(text);
  return content.length > 0 ? { stems: content, stopWordsOnly: false } : { stems: allStems(text), stopWordsOnly: true };
};

interface Phrase {
  stems: string[];
  /** Made of stop words only: matched on every word of the question, not only its content words. */
  stopWordsOnly: boolean;
}

/** Whether the question holds every content word of a phrase (its stems; one typo allowed in long words). */
function mentions(questionStems: ReadonlySet<string>, stems: readonly string[]): boolean {
  return (
    stems.length > 0 &&
    stems.every(
      (wanted) =>
        questionStems.has(wanted) ||
        (wanted.length >= 5 &&
          [...questionStems].some((word) => Math.abs(word.length - wanted.length) <= 1 && editDistance(word, wanted) <= 1)),
    )
  );
}

/** The entries to show for `question` within `budgetTokens` (see `QuestionKnowledge`), and a key naming the choice. */
export function questionKnowledge(
  variables: Pick<KnowledgePromptVariables, 'glossary' | 'metrics'>,
  question: string,
  budgetTokens: number = defaultKnowledgeListingTokens,
): QuestionKnowledge & { key: string } {
  const { cost, glossaryPhrases, metricPhrases, chosen } = prepared(variables);
  if (cost <= budgetTokens)
    return { question_glossary: variables.glossary, question_metrics: variables.metrics, knowledge_omitted: 0, key: 'all' };
  // Every word's stem: a phrase of stop words only is matched on them, and two questions that differ in a
  // stop word may differ in such a phrase.
  const stems = allStems(question);
  const memoKey = `${budgetTokens}\u0000${stems.join(' ')}`;
  const kept = chosen.get(memoKey);
  if (kept) return kept;
  const everyWord = new Set(stems);
  const contentWords = new Set(contentStems(question));
  const mentioned = (phrase: Phrase) => mentions(phrase.stopWordsOnly ? everyWord : contentWords, phrase.stems);
  const glossary = variables.glossary.filter((_, index) => glossaryPhrases[index].some(mentioned));
  const metrics = variables.metrics.filter((_, index) => metricPhrases[index].some(mentioned));
  const choice = {
    question_glossary: glossary,
    question_metrics: metrics,
    knowledge_omitted: variables.glossary.length + variables.metrics.length - glossary.length - metrics.length,
    key: [...glossary.map((entry) => entry.term), '|', ...metrics.map((metric) => metric.name)].join('\u0001'),
  };
  if (chosen.size >= chosenKept) chosen.delete(chosen.keys().next().value!);
  chosen.set(memoKey, choice);
  return choice;
}
