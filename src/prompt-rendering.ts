import type { App } from './app.ts';
import type { CompiledPrompt, PromptSelector, PromptVersion, RoutingDecision } from './prompts/index.ts';

/** What to render: a prompt against a datasource, as routed or at a label or version. */
export interface RenderRequest {
  name: string;
  datasource: string;
  selector: PromptSelector;
  /** Route as this user (experiments) when no label or version is given. */
  userId?: string;
  /** Render the verified examples retrieved for this question. */
  question?: string;
  /** Whether `datasource` may be a URL (the CLI) rather than a configured id (HTTP). */
  allowUrl?: boolean;
}

/** A prompt compiled as the agent would serve it, with the routing that chose its version. */
export interface RenderedPrompt {
  version: PromptVersion;
  routing: Pick<RoutingDecision, 'label' | 'reason'>;
  compiled: CompiledPrompt;
  datasource: string;
}

/**
 * Compiles a prompt version against a datasource's live schema and knowledge with the variables the agent
 * uses (its row limit, not the row cap; the datasource's pinned today), for `prompts render` and
 * `GET /v1/prompts/:name/render`.
 */
export async function renderPrompt(app: App, request: RenderRequest): Promise<RenderedPrompt> {
  const meta = await app.datasources.schema(request.datasource, { allowUrl: request.allowUrl });
  const datasource = await app.datasources.get(request.datasource, { allowUrl: request.allowUrl });
  const [{ knowledgePromptVariables, questionKnowledge }, { promptRowLimit, questionTables }] = await Promise.all([
    import('./knowledge/index.ts'),
    import('./agent/index.ts'),
  ]);
  const knowledge = await app.knowledge.forDatasource(datasource, meta);
  const retrieved = request.question ? knowledge.retrieve(request.question, app.config.knowledge.examplesPerQuestion) : [];
  // Without a question, every term and metric (what a question would narrow down).
  const withQuestionKnowledge = (all: ReturnType<typeof knowledgePromptVariables>) => {
    const { key: _key, ...shown } = questionKnowledge(
      all,
      request.question ?? '',
      request.question ? app.config.agent.knowledgeListingTokens : Infinity,
    );
    return { ...all, ...shown };
  };
  const variables = {
    meta,
    dialect: datasource.adapter.dialect,
    row_limit: promptRowLimit(app.config.agent, datasource.config),
    today: datasource.config.today,
    ...withQuestionKnowledge(knowledgePromptVariables(knowledge, retrieved, meta)),
    question_tables: questionTables(meta, request.question ?? '', app.config.agent.tableListingTokens),
  };
  const { selector } = request;
  const resolved =
    selector.version !== undefined
      ? {
          routing: { label: `v${selector.version}`, reason: 'override' as const },
          version: await app.prompts.store.get(request.name, selector),
        }
      : await app.prompts.resolve(
          { prompt: request.name, userId: request.userId, override: selector.label, overrideAllowed: true },
          variables,
        );
  return {
    version: resolved.version,
    routing: resolved.routing,
    compiled: app.prompts.compile(resolved.version, variables),
    datasource: meta.datasource,
  };
}
