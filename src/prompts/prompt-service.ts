import { allTables, compilePrompt, type CompiledPrompt, type PromptVariables } from './compile-prompt.ts';
import type { Experiment } from './experiment.ts';
import { routeLabel, type RouteRequest, type RoutingDecision } from './label-router.ts';
import type { PromptStore } from './prompt-store.ts';
import type { PromptVersion } from './prompt-version.ts';

export interface PromptServiceOptions {
  experiments: readonly Experiment[];
  /** The environment's default label (`PROMPT_LABEL`), used when no override or experiment applies. */
  defaultLabel: string;
  /** A pinned `today` (`YYYY-MM-DD`); otherwise the injected clock's date in UTC. */
  today?: string | null;
  now?: () => Date;
  random?: () => number;
  /** The most text kept compiled prompts may hold, in bytes (two a character). Default 64 MiB. */
  maxCompiledBytes?: number;
}

/**
 * The variables a caller supplies; `today` defaults to the pinned or current date, and the knowledge
 * variables (`examples`, `glossary`, `metrics`, `join_hints`) to none.
 */
type DefaultedVariable =
  | 'today'
  | 'examples'
  | 'glossary'
  | 'metrics'
  | 'join_hints'
  | 'question_tables'
  | 'question_glossary'
  | 'question_metrics'
  | 'knowledge_omitted';
export type ServiceVariables = Omit<PromptVariables, DefaultedVariable> & Partial<Pick<PromptVariables, DefaultedVariable>>;

/** What one request uses: the version, why it was chosen, and the compiled text. */
export interface ResolvedPrompt {
  version: PromptVersion;
  routing: RoutingDecision;
  compiled: CompiledPrompt;
}

/**
 * Routing, fetching and compiling, in one call for the agent: `resolve` picks the label for the request,
 * gets that version from the store and renders it with the live schema. The result says which version
 * produced the prompt, so every answer can record it.
 */
export class PromptService {
  constructor(
    readonly store: PromptStore,
    private readonly options: PromptServiceOptions,
  ) {}

  route(request: RouteRequest): RoutingDecision {
    return routeLabel(request, this.options.experiments, this.options.defaultLabel, this.options.random);
  }

  today(): string {
    return this.options.today ?? (this.options.now?.() ?? new Date()).toISOString().slice(0, 10);
  }

  /**
   * `contextKey`, when given, names the variables: two calls with the same key and the same version get
   * the same compiled prompt, rendered once (see `compiledPrompts`). The caller builds it from whatever
   * the variables are made of, such as `identityOf` the schema and knowledge objects.
   */
  async resolve(request: RouteRequest, variables: ServiceVariables, contextKey?: string): Promise<ResolvedPrompt> {
    const routing = this.route(request);
    const version = await this.store.get(request.prompt, { label: routing.label });
    return { version, routing, compiled: contextKey === undefined ? this.compile(version, variables) : this.compileOnce(version, variables, contextKey) };
  }

  /**
   * Compiled prompts by version and context: the prompt depends only on the version and its variables,
   * so a question asked again (a cache hit, or another question that retrieves the same examples) does
   * not render and count it again. Bounded by the text held (`compiledPromptBytes`), oldest out first: a
   * prompt listing thousands of tables is hundreds of kilobytes, and each distinct set of retrieved
   * examples is an entry.
   */
  private readonly compiledPrompts = new Map<string, CompiledPrompt>();
  private compiledBytes = 0;
  /** Template texts as small numbers for the keys (a version's text is one string the store keeps). */
  private readonly templateIds = new Map<string, number>();

  private compileOnce(version: PromptVersion, variables: ServiceVariables, contextKey: string): CompiledPrompt {
    const today = variables.today ?? this.today();
    let templateId = this.templateIds.get(version.template);
    if (templateId === undefined) {
      if (this.templateIds.size >= 256) this.templateIds.clear();
      templateId = nextTemplateId++;
      this.templateIds.set(version.template, templateId);
    }
    const key = [templateId, version.name, version.version, version.source, version.isFallback, JSON.stringify(version.config.examples ?? null), today, contextKey].join('\u0000');
    const kept = this.compiledPrompts.get(key);
    if (kept) {
      // Most recently used last, so the oldest leaves first.
      this.compiledPrompts.delete(key);
      this.compiledPrompts.set(key, kept);
      return kept;
    }
    const compiled = this.compile(version, { ...variables, today });
    this.compiledPrompts.set(key, compiled);
    this.compiledBytes += compiled.text.length * 2;
    while (this.compiledBytes > (this.options.maxCompiledBytes ?? compiledPromptBytes) && this.compiledPrompts.size > 1) {
      const [oldestKey, oldest] = this.compiledPrompts.entries().next().value!;
      this.compiledPrompts.delete(oldestKey);
      this.compiledBytes -= oldest.text.length * 2;
    }
    return compiled;
  }

  /**
   * Renders one version. `examples` are the ones retrieved for the question, except that a version which
   * pins its own `config.examples` keeps them (they are part of that version: promoting a new version,
   * not a knowledge edit, changes what it shows). Pinned examples may be tied to one datasource.
   */
  compile(version: PromptVersion, variables: ServiceVariables): CompiledPrompt {
    const pinned = (version.config.examples ?? []).filter((example) => !example.datasource || example.datasource === variables.meta.datasource);
    return compilePrompt(version, {
      ...variables,
      today: variables.today ?? this.today(),
      examples: version.config.examples?.length ? pinned : (variables.examples ?? []),
      glossary: variables.glossary ?? [],
      metrics: variables.metrics ?? [],
      join_hints: variables.join_hints ?? [],
      question_tables: variables.question_tables ?? allTables(variables.meta),
      question_glossary: variables.question_glossary ?? variables.glossary ?? [],
      question_metrics: variables.question_metrics ?? variables.metrics ?? [],
      knowledge_omitted: variables.knowledge_omitted ?? 0,
    });
  }
}

/** The most text compiled prompts may hold in memory (UTF-16: two bytes a character). */
const compiledPromptBytes = 64 * 1024 * 1024;
let nextTemplateId = 1;

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A number that stays the same for one object while it lives, and differs between objects: for `contextKey`s. */
export function identityOf(value: object): number {
  let identity = identities.get(value);
  if (identity === undefined) {
    identity = nextIdentity++;
    identities.set(value, identity);
  }
  return identity;
}
