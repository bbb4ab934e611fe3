// The tools' own output types, from the agent's model-facing contract (types only, nothing of the agent runs).
import type { ExecuteSqlContent, KnowledgeHit, MetadataHit, TableDescription } from '../../agent/tool-results.ts';
import type { ChatMessage } from '../chat-model.ts';

/** A metadata search hit as the search_metadata tool returns it. */
export type SearchHit = MetadataHit;

/** A table description as the show_table tool returns it. */
export type ShownTable = TableDescription;

/** The outcome of one execute_sql call. */
export interface Execution {
  sql: string;
  error: string | null;
  columns: string[];
  rows: unknown[];
  rowCount: number;
  /** Whether the rows are not all there are (a cap, a byte budget, or the default LIMIT cut them). */
  truncated: boolean;
}

/** Where the conversation stands, read from the messages alone (the model keeps no state between calls). */
export interface ConversationState {
  systemPrompt: string;
  question: string;
  /** The hits of the first search_metadata call, or null before it. */
  hits: SearchHit[] | null;
  /** The glossary terms and metrics that search matched (its `knowledge`). */
  knowledgeHits: KnowledgeHit[];
  /** Tables shown so far, by qualified name. */
  shownTables: ShownTable[];
  /** Every show_table request made, by the name asked for (shown or not). */
  showRequests: string[];
  executions: Execution[];
  /** Errors returned for final_answer calls. */
  finalErrors: string[];
  /** The text of an earlier reply without tool calls, when the model already declined. */
  declined: string | null;
  /** Model turns so far. */
  turns: number;
}

/** Reads the conversation: the system prompt, the question, and what each tool call returned. */
export function readConversation(messages: readonly ChatMessage[]): ConversationState {
  const state: ConversationState = {
    systemPrompt: '',
    question: '',
    hits: null,
    knowledgeHits: [],
    shownTables: [],
    showRequests: [],
    executions: [],
    finalErrors: [],
    declined: null,
    turns: 0,
  };
  const results = new Map<string, string>();
  for (const message of messages) if (message.role === 'tool') results.set(message.toolCallId, message.content);
  for (const message of messages) {
    if (message.role === 'system' && !state.systemPrompt) state.systemPrompt = message.content;
    else if (message.role === 'user' && !state.question) state.question = message.content;
    else if (message.role === 'assistant') {
      state.turns += 1;
      const calls = message.toolCalls ?? [];
      if (calls.length === 0 && message.content) state.declined = message.content;
      for (const call of calls) {
        const argumentsValue = parseJson(call.arguments) as Record<string, unknown> | null;
        const result = parseJson(results.get(call.id) ?? '') as Record<string, unknown> | null;
        if (call.name === 'search_metadata' && state.hits === null) {
          state.hits = Array.isArray(result?.hits) ? (result.hits as SearchHit[]) : [];
          state.knowledgeHits = Array.isArray(result?.knowledge) ? (result.knowledge as KnowledgeHit[]) : [];
        } else if (call.name === 'show_table') {
          state.showRequests.push(String(argumentsValue?.table ?? ''));
          if (result && typeof result.name === 'string' && Array.isArray(result.columns))
            state.shownTables.push(result as unknown as ShownTable);
        } else if (call.name === 'execute_sql') {
          const sql = String(argumentsValue?.sql ?? '');
          if (!result || typeof result.error === 'string' || !Array.isArray(result.rows)) {
            state.executions.push({
              sql,
              error: String(result?.error ?? 'no result'),
              columns: [],
              rows: [],
              rowCount: 0,
              truncated: false,
            });
          } else {
            const content = result as unknown as ExecuteSqlContent;
            state.executions.push({
              sql,
              error: null,
              columns: content.columns ?? [],
              rows: content.rows,
              rowCount: Number(content.rowCount ?? content.rows.length),
              truncated: content.truncated === true,
            });
          }
        } else if (call.name === 'final_answer' && typeof result?.error === 'string') {
          state.finalErrors.push(result.error);
        }
      }
    }
  }
  return state;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
