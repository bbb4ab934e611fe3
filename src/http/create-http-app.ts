import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../app.ts';
import { InvalidInputError, ServiceError } from '../errors/index.ts';
import { exampleStatuses, knowledgeCheckReport } from '../knowledge/index.ts';
import { assertPromptName } from '../prompts/index.ts';
import * as api from './api-schemas.ts';
import { chatCompletionsHandler } from './chat-completions-route.ts';
import { toHttpError } from './error-mapping.ts';
import helmet from 'helmet';
import type { CallerLimits } from './rate-limits.ts';
import { corsFor, createAccess, parseBody, requestIds, type Principal } from './request-helpers.ts';
import { consoleRoutes, defaultConsoleDirectory } from './routes/console-routes.ts';
import { docsRoutes } from './routes/docs-routes.ts';
import { promptRoutes } from './routes/prompt-routes.ts';
import { queryRoutes } from './routes/query-routes.ts';
import { traceRoutes } from './routes/trace-routes.ts';
import { checkReadiness } from './readiness.ts';
import type { ChatModel } from '../llm/index.ts';
import { mcpHttpHandler } from '../mcp/index.ts';

/** The HTTP API over the composition root. Routes stay thin: validate, call, return JSON. */
export interface HttpAppOptions {
  /** Also serve this model as an OpenAI-compatible `POST /v1/chat/completions` (the offline model endpoint). */
  chatCompletionsModel?: ChatModel;
  /** The server's state: while `draining` (after SIGTERM), `/readyz` answers 503. */
  lifecycle?: { readonly draining: boolean };
  /** The web console's build to serve at `/` (with `server.console`). Default `dist/console/` of the package. */
  consoleDirectory?: string;
}

export function createHttpApp(app: App, options: HttpAppOptions = {}): express.Express {
  const access = createAccess(app.config.server.apiKeys, app.config.server.adminToken);
  const { requireAdmin } = access;
  /** The caller, if it may see datasources at all (the query or read scope), and this one when given. */
  const requireViewer = (request: Request, datasource?: string) => {
    const caller = access.principal(request);
    return access.require(request, caller.scopes.has('query') ? 'query' : 'read', datasource);
  };
  const http = express();
  http.disable('x-powered-by');
  http.use(requestIds);
  // Security headers for a JSON API (no sniffing, no framing, no referrer, HSTS behind TLS).
  http.use(helmet());
  http.use(corsFor(app.config.server.corsOrigins));
  http.use(express.json({ limit: app.config.server.bodyLimit }));

  // Rate limits per API key on the API and MCP (health checks and /metrics are not counted). A request whose
  // key is missing or unknown passes here, and its route answers 401; with auth off (a loopback demo) nothing
  // is counted.
  http.use(['/v1', '/mcp'], async (request, response, next) => {
    let caller: Principal;
    try {
      caller = access.principal(request);
    } catch {
      next();
      return;
    }
    if (caller.id === 'anonymous') {
      next();
      return;
    }
    const defaults = app.config.server.rateLimit;
    const limits = {
      requestsPerMinute: caller.requestsPerMinute ?? defaults.requestsPerMinute,
      dailySpendUsd: caller.dailySpendUsd !== undefined ? caller.dailySpendUsd : defaults.dailySpendUsd,
    };
    const key = `key:${caller.id}`;
    response.locals.rateLimit = { key, limits };
    // Model spend is checked where the model is called: questions and MCP.
    const checkSpend = request.path.startsWith('/query') || request.baseUrl === '/mcp';
    const headers = await app.rateLimits().admit(key, limits, { checkSpend });
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    next();
  });

  docsRoutes(http);
  if (app.config.server.console) consoleRoutes(http, options.consoleDirectory ?? defaultConsoleDirectory());

  http.get('/healthz', (_request, response) => {
    response.json(api.documented(api.healthSchema, { status: 'ok' }));
  });

  // Readiness: whether to send this instance traffic (see checkReadiness). Not while it drains for a shutdown.
  http.get('/readyz', async (_request, response) => {
    const readiness = await checkReadiness(app, options.lifecycle?.draining ?? false);
    response.status(readiness.status === 'ready' ? 200 : 503).json(api.documented(api.readinessSchema, readiness));
  });

  http.get('/v1/datasources', (request, response) => {
    const caller = requireViewer(request);
    const visible = app.datasources.list().filter((entry) => caller.datasources === '*' || caller.datasources.has(entry.id));
    response.json(api.documented(api.datasourceListSchema, { datasources: visible }));
  });

  http.get('/v1/datasources/:id/schema', async (request, response) => {
    requireViewer(request, request.params.id);
    const refresh = request.query.refresh;
    if (refresh !== undefined && refresh !== 'true' && refresh !== 'false') {
      throw new InvalidInputError('The query parameter "refresh" must be true or false.', { field: 'refresh' });
    }
    response.json(api.documented(api.schemaMetaSchema, await app.datasources.schema(request.params.id, { refresh: refresh === 'true' })));
  });

  // Questions to offer under a question box: the verified examples' and the recent ones (the caller's own
  // without the read scope). No local traces (the store is off or cannot open): no recent questions.
  http.get('/v1/datasources/:id/questions', async (request, response) => {
    const caller = requireViewer(request, request.params.id);
    const config = app.datasources.resolve(request.params.id);
    const examples = await app.knowledge.listExamples({ id: config.id, config }, 'verified');
    const store = await app.traceStore().catch(() => null);
    const recent = store
      ? await store.recentQuestions({ datasource: config.id, user: caller.scopes.has('read') ? undefined : caller.id, limit: 8 })
      : [];
    response.json(
      api.documented(api.datasourceQuestionsSchema, {
        datasource: config.id,
        suggested: [...new Set(examples.map((example) => example.question))].slice(0, 8),
        recent,
      }),
    );
  });

  if (options.chatCompletionsModel) {
    const handler = chatCompletionsHandler(options.chatCompletionsModel);
    http.post('/v1/chat/completions', (request, response) => {
      access.require(request, 'query');
      return handler(request, response);
    });
  }

  queryRoutes(http, app, access);

  // Admin: read the catalog again now (a migration ran), or make every cached answer of a datasource a miss.
  http.post('/v1/datasources/:id/refresh', async (request, response) => {
    requireAdmin(request);
    const meta = await app.datasources.schema(request.params.id, { refresh: true });
    response.json(
      api.documented(api.datasourceRefreshedSchema, {
        datasource: meta.datasource,
        schemaVersion: meta.schemaVersion,
        introspectedAt: meta.introspectedAt,
      }),
    );
  });

  http.post('/v1/datasources/:id/cache/invalidate', async (request, response) => {
    requireAdmin(request);
    const { id } = app.datasources.resolve(request.params.id);
    await app.queries.invalidateDatasource(id);
    response.json(api.documented(api.cacheInvalidatedSchema, { datasource: id, invalidated: true }));
  });

  promptRoutes(http, app, access);
  traceRoutes(http, app, access);

  // Makes a label move take effect at once on this instance (the prompt cache is skipped on next read).
  http.post('/v1/admin/prompts/invalidate', (request, response) => {
    requireAdmin(request);
    const body = parseBody(api.promptInvalidateRequestSchema, request.body, '{"name": "<prompt name>"}');
    assertPromptName(body.name);
    app.prompts.store.invalidate(body.name);
    response.json(api.documented(api.promptInvalidatedSchema, { invalidated: body.name, store: app.prompts.store.kind }));
  });

  // The example library and the knowledge check, for admins: thin over KnowledgeService. Listing and
  // status changes touch only the file, so the datasource is looked up (404 when unknown), not opened.
  const configuredDatasource = (id: string) => {
    const config = app.datasources.resolve(id);
    return { id: config.id, config };
  };

  http.get('/v1/knowledge/:datasource/examples', async (request, response) => {
    requireAdmin(request);
    const status = exampleStatuses.find((candidate) => candidate === request.query.status);
    if (request.query.status !== undefined && !status)
      throw new InvalidInputError(`The query parameter "status" must be one of ${exampleStatuses.join(', ')}.`, { field: 'status' });
    response.json(
      api.documented(api.exampleListSchema, {
        examples: await app.knowledge.listExamples(configuredDatasource(request.params.datasource), status),
      }),
    );
  });

  http.post('/v1/knowledge/:datasource/examples', async (request, response) => {
    requireAdmin(request);
    const body = parseBody(api.newExampleSchema, request.body, '{"question": "…", "sql": "SELECT …"}');
    const datasource = await app.datasources.get(request.params.datasource);
    const example = await app.knowledge.addExample(datasource, { ...body, status: 'verified', by: 'admin' });
    response.status(201).json(api.documented(api.exampleEnvelopeSchema, { example }));
  });

  for (const [action, status] of [
    ['approve', 'verified'],
    ['reject', 'rejected'],
  ] as const) {
    http.post(`/v1/knowledge/:datasource/examples/:id/${action}`, async (request, response) => {
      requireAdmin(request);
      const datasource = configuredDatasource(request.params.datasource);
      response.json(
        api.documented(api.exampleEnvelopeSchema, {
          example: await app.knowledge.setStatus(datasource, request.params.id, status, 'admin'),
        }),
      );
    });
  }

  http.get('/v1/knowledge/:datasource/check', async (request, response) => {
    requireAdmin(request);
    const datasource = await app.datasources.get(request.params.datasource);
    const meta = await app.datasources.schema(datasource.id);
    response.json(api.documented(api.knowledgeCheckSchema, await knowledgeCheckReport(app.knowledge, datasource, meta)));
  });

  // Eval runs, for the web console's latest comparison. Read-only: runs are written by `sqlagent eval run`.
  http.get('/v1/evals/runs', async (request, response) => {
    access.require(request, 'read');
    const { listRuns } = await import('../evals/index.ts');
    response.json(api.documented(api.evalRunListSchema, { runs: await listRuns(app.config.evals.reportsDir) }));
  });

  http.get('/v1/evals/runs/:id', async (request, response) => {
    access.require(request, 'read');
    const items = request.query.items;
    if (items !== undefined && items !== 'true' && items !== 'false')
      throw new InvalidInputError('The query parameter "items" must be true or false.', { field: 'items' });
    const { readReport } = await import('../evals/index.ts');
    const report = await readReport(app.config.evals.reportsDir, request.params.id);
    response.json(api.documented(api.evalReportSchema, items === 'false' ? { ...report, items: [] } : report));
  });

  // MCP for agents (src/mcp/): the same tools, guard, cache and tracing, and the same keys: the query scope,
  // the key's datasources, its id as the user (`mcp` with auth off), admin only with the admin scope.
  const mcpAccessOf = (request: Request, response: Response) => {
    const caller = access.require(request, 'query');
    const limit = response.locals.rateLimit as { key: string; limits: CallerLimits } | undefined;
    return {
      recordSpend: async (costUsd: number | null) => {
        if (limit) await app.rateLimits().recordSpend(limit.key, limit.limits, costUsd);
      },
      userId: caller.id === 'anonymous' ? 'mcp' : caller.id,
      allowDatasource: (id: string) => caller.datasources === '*' || caller.datasources.has(id),
      allowAdmin: caller.scopes.has('admin'),
    };
  };
  http.all('/mcp', mcpHttpHandler(app, mcpAccessOf));

  http.use((request, response) => {
    response.status(404).json({
      error: {
        code: 'not_found',
        message: `No route for ${request.method} ${request.path.slice(0, 200)}.`,
        requestId: response.locals.requestId,
      },
    });
  });

  http.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const { status, body } = toHttpError(error);
    body.error.requestId = response.locals.requestId;
    // A failed question still has a trace: say which, so the failing step can be looked up.
    const traceId = body.error.details?.traceId;
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="sqlagent"');
    if (status === 429) {
      const { headers, ...details } = body.error.details ?? {};
      for (const [name, value] of Object.entries((headers as Record<string, string> | undefined) ?? {})) response.setHeader(name, value);
      body.error.details = details;
      response.setHeader('Retry-After', String(details.retryAfterSeconds ?? 60));
    }
    if (typeof traceId === 'string' && /^[0-9a-f]{32}$/.test(traceId)) {
      response.setHeader('X-Trace-Id', traceId);
      body.error.traceId = traceId;
    }
    // Busy is back-pressure: say when to come back.
    const retryAfter = body.error.details?.retryAfterSeconds;
    if (status === 503 && typeof retryAfter === 'number') response.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    // Server faults with their stack; a malformed request (refused before any route) at info, in one line.
    if (status >= 500)
      app.logger.error('request failed', {
        method: request.method,
        path: request.path,
        status,
        error: String((error as Error)?.stack ?? error),
      });
    else if (!(error instanceof ServiceError))
      app.logger.info('malformed request', {
        method: request.method,
        status,
        code: body.error.code,
        error: String((error as Error)?.message ?? error),
      });
    response.status(status).json(body);
  });

  return http;
}
