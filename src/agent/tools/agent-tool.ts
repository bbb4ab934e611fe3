import { z } from 'zod';
import type { Datasource, SchemaMeta } from '../../datasource/index.ts';
import type { KnowledgePromptVariables } from '../../knowledge/index.ts';
import type { ToolDefinition } from '../../llm/index.ts';

/** What a tool sees of the request. */
export interface ToolContext {
  datasource: Datasource;
  meta: SchemaMeta;
  /** How many rows of a result the model is shown. */
  rowsShownToModel: number;
  /** The datasource's glossary and metrics, as the prompt renders them (null without knowledge). */
  knowledge?: Pick<KnowledgePromptVariables, 'glossary' | 'metrics'> | null;
  signal?: AbortSignal;
  /** The LIMIT the prompt asks for (`row_limit`): a result that stops at it is reported as cut. */
  rowLimit?: number;
  /**
   * Statements that ran out of time in this attempt (see `sqlKey`): one is not run again unchanged, and
   * the model is told it was too slow.
   */
  timedOutSql?: Set<string>;
}

/** A statement's identity for "already timed out": its text with runs of whitespace made one space. */
export const sqlKey = (sql: string): string => sql.trim().replace(/\s+/g, ' ');

/** What the model is told about a statement that ran out of time, or that it sends again after that. */
export function tooSlowMessage(again: boolean): string {
  return again
    ? 'This statement already ran out of time; it was not run again. It is too slow: make it cheaper (filter earlier, aggregate in fewer steps, drop needless joins) before running it.'
    : 'The statement ran out of time: it is too slow. Do not run it again unchanged; make it cheaper (filter earlier, aggregate in fewer steps, drop needless joins).';
}

/** A SQL statement that failed, by its error's code (metrics count failures by it, not by message text). */
export interface SqlFailure {
  code: 'sql_rejected' | 'sql_timeout' | 'sql_error' | 'result_too_large';
  /** The database's own code (a SQLSTATE, a MySQL error name), when it gave one. */
  databaseCode: string | null;
}

/** A tool's result. Failures the model can fix are results with `error`, never exceptions. */
export interface ToolOutcome {
  /** What the model receives (serialized to JSON). */
  content: unknown;
  /** One line for `steps[]` and traces. */
  summary: string;
  error?: string;
  /** Set when the failure was a SQL statement's. */
  sqlError?: SqlFailure;
  rowCount?: number;
  dbMs?: number;
}

export interface AgentTool<Input = unknown> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  run(input: Input, context: ToolContext): Promise<ToolOutcome>;
}

/**
 * The JSON Schema the chat API needs, from the tool's zod schema, without the string length bounds: the
 * definitions go with every model call of every question, the arguments are checked against the zod schema
 * anyway (an argument out of bounds comes back to the model as an error naming it), and a model gains nothing
 * from being told that a query is at least one character long.
 */
export function toolDefinition(tool: AgentTool<any>): ToolDefinition {
  let definition = toolDefinitions.get(tool);
  if (!definition) {
    const { $schema: _schema, ...schema } = z.toJSONSchema(tool.input) as Record<string, unknown>;
    const parameters = withoutLengthBounds(schema) as Record<string, unknown>;
    definition = { name: tool.name, description: tool.description, parameters };
    toolDefinitions.set(tool, definition);
  }
  return definition;
}

/** A JSON Schema without `minLength` and `maxLength`, at any depth (an argument of either name stays). */
function withoutLengthBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutLengthBounds);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).filter(([key]) => key !== 'minLength' && key !== 'maxLength');
  return Object.fromEntries(
    entries.map(([key, value]) => [
      key,
      key === 'properties' && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([name, property]) => [name, withoutLengthBounds(property)]))
        : withoutLengthBounds(value),
    ]),
  );
}

/** A tool's definition depends only on the tool: converted from zod once per tool object, not per model call. */
const toolDefinitions = new WeakMap<AgentTool<any>, ToolDefinition>();

/** Parses raw argument text; a failure names the problem so the model can send better arguments. */
export function parseToolArguments<Input>(tool: AgentTool<Input>, raw: string): { ok: true; value: Input } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (error) {
    return {
      ok: false,
      error: `The arguments of ${tool.name} are not valid JSON (${(error as Error).message}). Send a JSON object matching the tool's schema.`,
    };
  }
  const parsed = tool.input.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
    return { ok: false, error: `Invalid arguments for ${tool.name}: ${issues}.` };
  }
  return { ok: true, value: parsed.data };
}
