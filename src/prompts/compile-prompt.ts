import nunjucks from 'nunjucks';
import { countTokens } from '../text/index.ts';
import type { SchemaMeta } from '../datasource/index.ts';
import { PromptTemplateError } from '../errors/index.ts';
import type { KnowledgePromptVariables } from '../knowledge/index.ts';
import { addJinjaFilters } from './jinja-filters.ts';
import type { PromptExample, PromptVersion } from './prompt-version.ts';

/** The variables every template receives. */
export interface PromptVariables {
  /** The live `SchemaMeta` from introspection. */
  meta: SchemaMeta;
  /** `postgres` or `mysql`. */
  dialect: string;
  /** `YYYY-MM-DD`; pinned in config for reproducible answers about "last month". */
  today: string;
  row_limit: number;
  /**
   * Question/SQL pairs: the verified examples retrieved for this question from the datasource's knowledge
   * (`id` and `similarity` set), or, for a version that pins its own `config.examples`, those.
   */
  examples: Array<PromptExample & { id?: string; similarity?: number }>;
  /** Business terms of the datasource's knowledge, each with a one-line `meaning` (empty without knowledge). */
  glossary: KnowledgePromptVariables['glossary'];
  /** Named measures of the datasource's knowledge (empty without knowledge). */
  metrics: KnowledgePromptVariables['metrics'];
  /** Joins the foreign keys do not declare (empty without knowledge). */
  join_hints: KnowledgePromptVariables['join_hints'];
  /**
   * The tables to list for this question, with their column names: every table while the whole listing
   * fits the agent's budget (`agent.tableListingTokens`), else those closest to the question; `omitted`
   * says how many the tools must find. A template that lists `meta.schemas` instead grows with the schema.
   */
  question_tables: QuestionTablesVariable;
  /**
   * The glossary and metrics to show for this question: all of them while they fit the agent's budget
   * (`agent.knowledgeListingTokens`), else those the question mentions; `knowledge_omitted` counts the rest.
   */
  question_glossary: KnowledgePromptVariables['glossary'];
  question_metrics: KnowledgePromptVariables['metrics'];
  knowledge_omitted: number;
}

/** The `question_tables` variable. */
export interface QuestionTablesVariable {
  schemas: Array<{ name: string; tables: Array<{ name: string; columns: Array<{ name: string }> }> }>;
  shown: number;
  total: number;
  omitted: number;
}

/** Every table of the schema, as `question_tables` lists them when nothing is left out. */
export function allTables(meta: SchemaMeta): QuestionTablesVariable {
  const schemas = meta.schemas.map((schema) => ({
    name: schema.name,
    tables: schema.tables.map((table) => ({ name: table.name, columns: table.columns.map((column) => ({ name: column.name })) })),
  }));
  const total = schemas.reduce((sum, schema) => sum + schema.tables.length, 0);
  return { schemas, shown: total, total, omitted: 0 };
}

export interface CompiledPrompt {
  text: string;
  /** Counted with a real tokenizer (o200k, as current OpenAI models use). */
  tokenCount: number;
}

// Jinja2 semantics: no HTML escaping, an undefined variable is an error, block tags leave no blank lines.
const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });
addJinjaFilters(environment);

function templateError(name: string, version: number | string, error: unknown): PromptTemplateError {
  const message = String((error as Error)?.message ?? error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(message);
  const line = position ? Number(position[1]) : null;
  const reason = message.replace(/^Template render error: /, '').replace(/\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '').replace(/\s+/g, ' ').trim();
  return new PromptTemplateError(`Prompt "${name}" v${version} failed to compile${line ? ` at template line ${line}` : ''}: ${reason}`, { prompt: name, version, line, column: position ? Number(position[2]) : null });
}

/** Parsed templates by their text (a version's text never changes; a few versions are in use at once). */
const parsedTemplates = new Map<string, nunjucks.Template>();
const parsedTemplatesKept = 64;

function parsedTemplate(text: string): nunjucks.Template {
  let template = parsedTemplates.get(text);
  if (!template) {
    template = nunjucks.compile(text, environment);
    if (parsedTemplates.size >= parsedTemplatesKept) parsedTemplates.delete(parsedTemplates.keys().next().value!);
    parsedTemplates.set(text, template);
  }
  return template;
}

/** Throws `PromptTemplateError` when the template does not even parse (checked before a version is stored). */
export function checkTemplateSyntax(name: string, version: number | string, template: string): void {
  try {
    // The fourth argument compiles eagerly, so syntax errors surface now rather than at first render.
    new nunjucks.Template(template, environment, undefined, true);
  } catch (error) {
    throw templateError(name, version, error);
  }
}

/**
 * Renders a version's template with nunjucks (Jinja2 syntax: loops, conditionals, filters such as
 * `map(attribute='name') | join(', ')`). Langfuse's own `compile` only substitutes `{{var}}`, which is why
 * the template text is fetched and rendered here.
 *
 * @throws PromptTemplateError naming the prompt, the version and the template line.
 */
export function compilePrompt(version: PromptVersion, variables: PromptVariables): CompiledPrompt {
  let text: string;
  try {
    text = parsedTemplate(version.template).render({ ...variables });
  } catch (error) {
    throw templateError(version.name, version.version, error);
  }
  return { text, tokenCount: countTokens(text) };
}
