import { compilePrompt, type CompiledPrompt, type PromptVariables } from './compile-prompt.ts';
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
}

/** The variables a caller supplies; `today` and `examples` are filled in. */
export type ServiceVariables = Omit<PromptVariables, 'today' | 'examples'> & { today?: string };

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

  async resolve(request: RouteRequest, variables: ServiceVariables): Promise<ResolvedPrompt> {
    const routing = this.route(request);
    const version = await this.store.get(request.prompt, { label: routing.label });
    return { version, routing, compiled: this.compile(version, variables) };
  }

  /** Renders one version; `today` defaults to the pinned or current date, `examples` come from its config. */
  compile(version: PromptVersion, variables: ServiceVariables): CompiledPrompt {
    // A version's examples may be tied to one datasource; the template sees only those that apply.
    const examples = (version.config.examples ?? []).filter((example) => !example.datasource || example.datasource === variables.meta.datasource);
    return compilePrompt(version, { ...variables, today: variables.today ?? this.today(), examples });
  }
}
