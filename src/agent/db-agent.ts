import { createHash } from 'node:crypto';
import type { Datasource, DatasourceRegistry, ReadOnlyResult, ResultColumn, SchemaMeta } from '../datasource/index.ts';
import { InvalidInputError } from '../errors/index.ts';
import { isWellFormed } from '../text/index.ts';
import {
  knowledgePromptVariables,
  questionKnowledge,
  type KnowledgePromptVariables,
  type QuestionKnowledge,
  type KnowledgeService,
  type RetrievedExample,
} from '../knowledge/index.ts';
import { costOf, mergeUsage, sumCosts, type ModelPrice, type ModelUsage, type TierProvider } from '../llm/index.ts';
import { identityOf, type CompiledPrompt, type PromptService, type ResolvedPrompt, type RoutingDecision } from '../prompts/index.ts';
import { noopSpan, spanAttribute, withSpan, type TraceSpan } from '../tracing/index.ts';
import type { AgentStep, LoopTracing, ModelCall } from './agent-loop.ts';
import { budgetSpentWith, budgetStop, cascadeFailure, startingTier, type CascadeSettings } from './cascade-policy.ts';
import type { ComplexityScore } from './question-complexity.ts';
import { questionTables } from './question-tables.ts';
import { emptyResultValidator, type ResultValidator } from './result-validators.ts';
import { attemptRecord, endTierSpan, promptRowLimit, runTierAttempt, type AgentLimits, type AttemptRecord } from './tier-attempt.ts';

/** The SHA-256 of a compiled prompt's text, once per compiled prompt (they are kept and reused). */
const promptHashes = new WeakMap<CompiledPrompt, string>();
function hashOfPrompt(compiled: CompiledPrompt): string {
  let hash = promptHashes.get(compiled);
  if (hash === undefined) {
    hash = createHash('sha256').update(compiled.text).digest('hex');
    promptHashes.set(compiled, hash);
  }
  return hash;
}

/** The prompt the agent compiles. */
export const agentPromptName = 'agent/db_agent';

export interface DbAgentOptions {
  datasources: DatasourceRegistry;
  prompts: PromptService;
  /** The cascade's tiers for a prompt version's model (`singleModelTiers` for one model). */
  tiers: TierProvider;
  cascade?: CascadeSettings;
  /** Checks run on an answered result; a rejection escalates. Default: the empty-result check. */
  validators?: ResultValidator[];
  limits: AgentLimits;
  prices: Readonly<Record<string, ModelPrice>>;
  /** The datasources' business knowledge, and how many verified examples a question gets. Default: none. */
  knowledge?: { service: KnowledgeService; examplesPerQuestion: number };
  now?: () => number;
}

export interface AskRequest {
  datasource: string;
  question: string;
  userId?: string | null;
  /** An explicit prompt label; honoured only with `labelAllowed` (the admin scope). */
  label?: string | null;
  labelAllowed?: boolean;
  /** Whether `datasource` may be a URL (the CLI) rather than a configured id (HTTP). */
  allowUrl?: boolean;
  /**
   * The `today` relative dates mean (`YYYY-MM-DD`), over the datasource's pinned one; evals pin it per
   * case. Honoured only with `labelAllowed` (the admin scope), like `label`.
   */
  today?: string | null;
  signal?: AbortSignal;
}

/** A step of the tool loop as it happens, with the tier that took it. */
export type TierStep = AgentStep & { tier: string };

/** What makes two prepared questions the same for a result cache (the cache hashes it into its key). */
export interface CacheIdentity {
  question: string;
  datasource: string;
  schemaVersion: string;
  prompt: string;
  promptVersion: number;
  /** A hash of the compiled prompt (it holds today, the row limit and the examples). */
  context: string;
}

/** A question ready for the cascade: validated, with its datasource, live schema and compiled prompt. */
export interface PreparedQuestion {
  question: string;
  datasource: Datasource;
  meta: SchemaMeta;
  resolved: ResolvedPrompt;
  /** The knowledge the prompt was given: glossary, metrics, join hints, and the examples retrieved for the question. */
  knowledge: KnowledgePromptVariables;
  /** When preparing began: an answer's `latency.totalMs` counts the preparation too. */
  startedAt: number;
  /** What a cached answer to this question must match. */
  cacheIdentity(): CacheIdentity;
}

/** Everything one question produced. */
export interface AskResult {
  answer: string;
  explanation: string | null;
  sql: string;
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  datasource: string;
  schemaVersion: string;
  prompt: string;
  label: string;
  promptVersion: number;
  promptIsFallback: boolean;
  routing: RoutingDecision;
  /** The model of the tier that answered. */
  model: string;
  /** The tier that answered. */
  tier: string;
  /** Every tier attempt, in order; the last one answered. */
  attempts: AttemptRecord[];
  /** Set when complexity routing looked at the question. */
  complexity: (ComplexityScore & { startTier: number }) | null;
  /** Notes on an accepted answer, such as a validator's doubt on the last tier. */
  warnings: string[];
  /** The answering attempt's steps. */
  steps: AgentStep[];
  calls: ModelCall[];
  /** Usage per model over all attempts. */
  usage: Record<string, ModelUsage>;
  /** Sum over all attempts in USD; null when any model's price is unknown. */
  costUsd: number | null;
  latency: { totalMs: number; llmMs: number; dbMs: number };
  traceId: string;
  /**
   * The verified example the answer was built from: its SQL is the example's with at most the literals
   * changed. `similarity` is how close the example's question is to this one (0–1). Null otherwise.
   */
  verifiedExample: { id: string; similarity: number } | null;
}

/**
 * The DB agent: compiles `agent/db_agent` at the routed label with the live schema, then runs the tool
 * loop tier by tier (cheap model first, see `cascade-policy.ts`) until one gives an answer whose SQL runs
 * through the guard and passes the validators. It escalates on a model failure, no final SQL or a refusal,
 * a final SQL that fails, a spent step or token budget, or a validator's rejection; a cost budget can stop
 * escalation.
 */
export class DbAgent {
  private readonly now: () => number;

  constructor(private readonly options: DbAgentOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Prepares and answers a question; `span` (default: none recorded) is the parent of its spans. */
  async ask(request: AskRequest, span: TraceSpan = noopSpan()): Promise<AskResult> {
    return this.answer(await this.prepare(request, span), request.signal, span);
  }

  /**
   * Checks what a request carries before anything else reads it (traces, logs, the cache key): a question
   * that is not empty and within `limits.maxQuestionChars`, and text fields of well-formed Unicode (a lone
   * surrogate cannot be stored as JSON in Postgres). Returns the trimmed question; throws
   * `InvalidInputError` naming the field.
   */
  check(request: AskRequest): string {
    for (const field of ['datasource', 'question', 'userId', 'label', 'today'] as const) {
      const value = request[field];
      if (typeof value === 'string' && !isWellFormed(value))
        throw new InvalidInputError(`The field "${field}" is not well-formed Unicode (it holds a lone surrogate).`, { field });
    }
    const question = request.question.trim();
    if (!question) throw new InvalidInputError('The question is empty.', { field: 'question' });
    const limit = this.options.limits.maxQuestionChars;
    if (question.length > limit)
      throw new InvalidInputError(`The question is ${question.length} characters long; the limit is ${limit}.`, { field: 'question' });
    return question;
  }

  /**
   * The part of a question that needs no model: validation, the datasource, its live schema and the
   * routed, compiled prompt. A result cache keys on what this returns (`cacheIdentity`).
   */
  async prepare(request: AskRequest, span: TraceSpan = noopSpan()): Promise<PreparedQuestion> {
    // The answer's latency.totalMs counts from here: the schema, the knowledge and the prompt are the
    // request's time too.
    const startedAt = this.now();
    const question = this.check(request);
    const { datasource, meta } = await withSpan(span.startChild('schema', 'span'), async (schemaSpan) => {
      const datasource = await this.options.datasources.get(request.datasource, { allowUrl: request.allowUrl });
      const meta = await this.options.datasources.schema(request.datasource, { allowUrl: request.allowUrl });
      schemaSpan.update({
        output: { schemaVersion: meta.schemaVersion, tables: meta.schemas.reduce((sum, schema) => sum + schema.tables.length, 0) },
        attributes: { [spanAttribute.datasource]: datasource.id, [spanAttribute.schemaVersion]: meta.schemaVersion },
      });
      return { datasource, meta };
    });
    const { variables: knowledge, contextKey: knowledgeKey } = await this.knowledgeFor(question, datasource, meta, span);
    const tables = questionTables(meta, question, this.options.limits.tableListingTokens);
    const override = request.labelAllowed ? (request.label ?? null) : null;
    const resolved = await withSpan(
      span.startChild('prompt', 'span', { input: { name: agentPromptName, userId: request.userId ?? null, override } }),
      async (promptSpan) => {
        const variables = {
          meta,
          dialect: datasource.adapter.dialect,
          row_limit: promptRowLimit(this.options.limits, datasource.config),
          today: (request.labelAllowed ? request.today : null) ?? datasource.config.today,
          ...knowledge,
          question_tables: tables,
        };
        // What the variables are made of: the schema and knowledge objects (kept while unchanged), the
        // examples retrieved, and the scalars. The same key means the same compiled prompt.
        const contextKey = [
          datasource.id,
          identityOf(meta),
          knowledgeKey,
          variables.dialect,
          variables.row_limit,
          variables.today ?? '',
          tables.key,
        ].join('|');
        const resolved = await this.options.prompts.resolve(
          { prompt: agentPromptName, userId: request.userId, override: request.label, overrideAllowed: request.labelAllowed },
          variables,
          contextKey,
        );
        promptSpan.update({
          output: { version: resolved.version.version, label: resolved.routing.label, tokenCount: resolved.compiled.tokenCount },
          metadata: { routing: resolved.routing },
          ...(resolved.version.isFallback
            ? { level: 'WARNING' as const, statusMessage: 'served the local fallback: the prompt store could not be read' }
            : {}),
          attributes: {
            [spanAttribute.promptName]: agentPromptName,
            [spanAttribute.promptVersion]: resolved.version.version,
            [spanAttribute.label]: resolved.routing.label,
            [spanAttribute.promptIsFallback]: resolved.version.isFallback,
            [spanAttribute.promptTokens]: resolved.compiled.tokenCount,
            [spanAttribute.routingReason]: resolved.routing.reason,
          },
        });
        return resolved;
      },
    );
    return {
      question,
      datasource,
      meta,
      resolved,
      knowledge,
      startedAt,
      cacheIdentity: () => ({
        question,
        datasource: datasource.id,
        schemaVersion: meta.schemaVersion,
        prompt: agentPromptName,
        promptVersion: resolved.version.version,
        context: hashOfPrompt(resolved.compiled),
      }),
    };
  }

  /** The datasource's knowledge and the verified examples closest to the question, in a `knowledge` span. */
  private async knowledgeFor(
    question: string,
    datasource: Datasource,
    meta: SchemaMeta,
    span: TraceSpan,
  ): Promise<{ variables: KnowledgePromptVariables & QuestionKnowledge; contextKey: string }> {
    const settings = this.options.knowledge;
    if (!settings)
      return {
        variables: { ...knowledgePromptVariables(null, [], meta), question_glossary: [], question_metrics: [], knowledge_omitted: 0 },
        contextKey: 'none',
      };
    return withSpan(span.startChild('knowledge', 'span', { input: { datasource: datasource.id } }), async (knowledgeSpan) => {
      const loaded = await settings.service.forDatasource(datasource, meta);
      const retrieved: RetrievedExample[] = settings.examplesPerQuestion > 0 ? loaded.retrieve(question, settings.examplesPerQuestion) : [];
      knowledgeSpan.update({
        output: {
          glossary: loaded.checked.glossary.length,
          metrics: loaded.checked.metrics.length,
          examples: retrieved.map((hit) => ({ id: hit.example.id, similarity: hit.similarity })),
        },
        ...(loaded.checked.problems.length
          ? {
              level: 'WARNING' as const,
              statusMessage: `${loaded.checked.problems.length} knowledge entries left out: ${loaded.checked.problems[0]}`,
            }
          : {}),
      });
      const variables = knowledgePromptVariables(loaded, retrieved, meta);
      const { key, ...shown } = questionKnowledge(variables, question, this.options.limits.knowledgeListingTokens);
      return {
        variables: { ...variables, ...shown },
        contextKey: `${identityOf(loaded)}:${retrieved.map((hit) => `${hit.example.id}~${hit.similarity}`).join(',')}:${key}`,
      };
    });
  }

  /**
   * Runs SQL for a prepared question the way a final answer's SQL runs: through the guard and the
   * read-only executor of its datasource (a cached answer's SQL is re-run this way too).
   */
  execute(prepared: PreparedQuestion, sql: string, signal?: AbortSignal): Promise<ReadOnlyResult> {
    return prepared.datasource.executeReadOnly(sql, { signal });
  }

  /** Runs the cascade for a prepared question. */
  async answer(
    prepared: PreparedQuestion,
    signal?: AbortSignal,
    span: TraceSpan = noopSpan(),
    onStep?: (step: TierStep) => void,
  ): Promise<AskResult> {
    const { question, datasource, meta, resolved } = prepared;
    const tiers = this.options.tiers(resolved.version.config.model);
    const cascade = this.options.cascade ?? {};
    const validators = this.options.validators ?? [emptyResultValidator];
    const { startTier, complexity } = startingTier(question, meta, tiers, cascade);
    const maxAttempts = cascade.maxAttempts ?? tiers.length;
    const attempts: AttemptRecord[] = [];
    const allCalls: ModelCall[] = [];
    const warnings: string[] = [];

    for (let index = startTier; index < tiers.length && attempts.length < maxAttempts; index += 1) {
      const tier = tiers[index];
      const stop = budgetStop(attempts, cascade, tier.name);
      if (stop) throw stop;
      const lastTier = index === tiers.length - 1 || attempts.length + 1 >= maxAttempts;
      const tierSpan = span.startChild(`tier:${tier.model.modelId}`, 'agent', {
        attributes: { [spanAttribute.tier]: tier.name, [spanAttribute.tierIndex]: index },
      });
      const tracing: LoopTracing = {
        span: tierSpan,
        prompt: { name: agentPromptName, version: resolved.version.version, isFallback: resolved.version.isFallback },
        linkPrompt: resolved.version.source === 'langfuse' && !resolved.version.isFallback,
        costOf: (model, usage) => costOf(model, usage, this.options.prices),
      };
      const outcome = await runTierAttempt({
        tier,
        question,
        systemPrompt: resolved.compiled.text,
        temperature: resolved.version.config.temperature,
        datasource,
        meta,
        knowledge: prepared.knowledge,
        limits: this.options.limits,
        prices: this.options.prices,
        signal,
        tracing,
        now: this.now,
        onStep: onStep ? (step) => onStep({ ...step, tier: tier.name }) : undefined,
      }).catch((error: unknown) => {
        tierSpan.fail(error);
        tierSpan.end();
        throw error;
      });
      allCalls.push(...outcome.calls);
      if (!outcome.result || !outcome.final) {
        attempts.push(endTierSpan(tierSpan, attemptRecord(tier, outcome, 'escalated', outcome.failure, outcome.failureMessage)));
        continue;
      }
      const result = outcome.result;
      const rejection = validators.map((validate) => validate(question, result)).find((reason) => reason !== null) ?? null;
      // No further tier will run if the budget is already spent: keep this answer rather than lose it.
      const isLast = lastTier || budgetSpentWith(attempts, outcome.costUsd, cascade);
      if (rejection && !isLast) {
        attempts.push(endTierSpan(tierSpan, attemptRecord(tier, outcome, 'escalated', 'validator_rejected', rejection)));
        continue;
      }
      if (rejection) warnings.push(`Accepted from the last tier although ${rejection}.`);
      if (result.truncatedBy === 'limit')
        warnings.push(`The rows stop at the SQL's LIMIT ${result.rowCount}, the default row limit: there may be more.`);
      attempts.push(endTierSpan(tierSpan, attemptRecord(tier, outcome, 'answered', null, null)));
      const dbMs = outcome.steps.reduce((sum, step) => sum + (step.dbMs ?? 0), 0) + result.durationMs;
      return {
        answer: outcome.final.answer,
        explanation: outcome.final.explanation ?? null,
        sql: result.sql,
        columns: result.columns,
        rows: result.rows,
        truncated: result.truncated,
        datasource: datasource.id,
        schemaVersion: meta.schemaVersion,
        prompt: agentPromptName,
        label: resolved.routing.label,
        promptVersion: resolved.version.version,
        promptIsFallback: resolved.version.isFallback,
        routing: resolved.routing,
        model: outcome.calls[outcome.calls.length - 1]?.model ?? tier.model.modelId,
        tier: tier.name,
        attempts,
        complexity,
        warnings,
        steps: outcome.steps,
        calls: allCalls,
        usage: mergeUsage(attempts.map((attempt) => attempt.usage)),
        costUsd: sumCosts(attempts.map((attempt) => attempt.costUsd)),
        latency: {
          totalMs: Math.round(this.now() - prepared.startedAt),
          llmMs: allCalls.reduce((sum, call) => sum + call.latencyMs, 0),
          dbMs: Math.round(dbMs),
        },
        traceId: span.traceId,
        verifiedExample: builtFrom(result.sql, prepared.knowledge.examples),
      };
    }
    throw cascadeFailure(attempts, { label: resolved.routing.label, version: resolved.version.version });
  }
}

/**
 * The retrieved example an answer's SQL was built from: the same statement once literals (strings and
 * numbers), case and spacing are set aside, so a value swapped into an example's SQL still counts.
 */
export function builtFrom(sql: string, examples: KnowledgePromptVariables['examples']): { id: string; similarity: number } | null {
  const shape = sqlShape(sql);
  const match = examples.find((example) => sqlShape(example.sql) === shape);
  return match ? { id: match.id, similarity: match.similarity } : null;
}

function sqlShape(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),=<>])\s*/g, '$1')
    .replace(/;\s*$/, '')
    .trim()
    .toLowerCase();
}
