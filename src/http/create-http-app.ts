import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../app.ts';
import { z } from 'zod';
import { ForbiddenError, InvalidInputError, ServiceError } from '../errors/index.ts';
import { exampleStatuses, knowledgeCheckReport } from '../knowledge/index.ts';
import { assertPromptName } from '../prompts/index.ts';
import { chatCompletionsHandler } from './chat-completions-route.ts';
import { toHttpError } from './error-mapping.ts';
import { checkReadiness } from './readiness.ts';
import type { ChatModel } from '../llm/index.ts';
import { mcpHttpHandler } from '../mcp/index.ts';

const queryBodySchema = z
  .object({
    datasource: z.string().min(1).max(100),
    question: z.string().min(1),
    userId: z.string().min(1).max(200).optional(),
    sessionId: z.string().min(1).max(200).optional(),
    label: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,35}$/, 'a label uses lower-case letters, digits, _ and -')
      .optional(),
    cache: z.enum(['use', 'bypass', 'refresh']).optional(),
    /** A shorter deadline than the service's (`server.requestTimeoutMs`), in milliseconds. */
    timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
    today: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
      .optional(),
  })
  .strict();

const newExampleSchema = z
  .object({
    question: z.string().trim().min(3, 'the question needs at least 3 characters').max(1000),
    sql: z.string().trim().min(1, 'the SQL is empty').max(4000),
  })
  .strict();

/** Validates a JSON body; a failure names the field and what was expected. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
  const parsed = schema.safeParse(body ?? undefined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new InvalidInputError(
    `Invalid request body: ${field}: ${issue?.message}. Expected ${example} (with Content-Type: application/json).`,
    { field },
  );
}

/** The HTTP API over the composition root. Routes stay thin: validate, call, return JSON. */
export interface HttpAppOptions {
  /** Also serve this model as an OpenAI-compatible `POST /v1/chat/completions` (the offline model endpoint). */
  chatCompletionsModel?: ChatModel;
  /** The server's state: while `draining` (after SIGTERM), `/readyz` answers 503. */
  lifecycle?: { readonly draining: boolean };
}

export function createHttpApp(app: App, options: HttpAppOptions = {}): express.Express {
  const adminToken = app.config.server.adminToken ? Buffer.from(app.config.server.adminToken) : null;
  // Until the API-key issue lands, the admin scope is one bearer token from config.
  const isAdmin = (request: Request): boolean => {
    const presented = /^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1];
    if (!adminToken || !presented) return false;
    const candidate = Buffer.from(presented);
    return candidate.length === adminToken.length && timingSafeEqual(candidate, adminToken);
  };
  const requireAdmin = (request: Request) => {
    if (!isAdmin(request)) throw new ForbiddenError('This route needs the admin scope (Authorization: Bearer <SQLAGENT_ADMIN_TOKEN>).');
  };
  const http = express();
  http.disable('x-powered-by');
  http.use(express.json({ limit: app.config.server.bodyLimit }));

  http.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  // Readiness: whether to send this instance traffic (see checkReadiness). Not while it drains for a shutdown.
  http.get('/readyz', async (_request, response) => {
    const readiness = await checkReadiness(app, options.lifecycle?.draining ?? false);
    response.status(readiness.status === 'ready' ? 200 : 503).json(readiness);
  });

  http.get('/v1/datasources', (_request, response) => {
    response.json({ datasources: app.datasources.list() });
  });

  http.get('/v1/datasources/:id/schema', async (request, response) => {
    const refresh = request.query.refresh;
    if (refresh !== undefined && refresh !== 'true' && refresh !== 'false') {
      throw new InvalidInputError('The query parameter "refresh" must be true or false.', { field: 'refresh' });
    }
    response.json(await app.datasources.schema(request.params.id, { refresh: refresh === 'true' }));
  });

  if (options.chatCompletionsModel) http.post('/v1/chat/completions', chatCompletionsHandler(options.chatCompletionsModel));

  http.post('/v1/query', async (request, response) => {
    const body = parseBody(
      queryBodySchema,
      request.body,
      '{"datasource": "shop", "question": "…", "userId"?: "…", "sessionId"?: "…", "label"?: "staging", "cache"?: "use" | "bypass" | "refresh", "today"?: "2025-07-01", "timeoutMs"?: 30000}',
    );
    const admin = isAdmin(request);
    if (body.today && !admin)
      throw new ForbiddenError('Pinning "today" needs the admin scope (Authorization: Bearer <SQLAGENT_ADMIN_TOKEN>).');
    // A client that disconnects aborts the model call in flight.
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    const result = await app.queries.ask({ ...body, labelAllowed: admin, signal: controller.signal });
    response.setHeader('X-Trace-Id', result.traceId);
    response.json(result);
  });

  // Makes a label move take effect at once on this instance (the prompt cache is skipped on next read).
  http.post('/v1/admin/prompts/invalidate', (request, response) => {
    requireAdmin(request);
    const body = parseBody(z.object({ name: z.string() }).strict(), request.body, '{"name": "<prompt name>"}');
    assertPromptName(body.name);
    app.prompts.store.invalidate(body.name);
    response.json({ invalidated: body.name, store: app.prompts.store.kind });
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
    response.json({ examples: await app.knowledge.listExamples(configuredDatasource(request.params.datasource), status) });
  });

  http.post('/v1/knowledge/:datasource/examples', async (request, response) => {
    requireAdmin(request);
    const body = parseBody(newExampleSchema, request.body, '{"question": "…", "sql": "SELECT …"}');
    const datasource = await app.datasources.get(request.params.datasource);
    const example = await app.knowledge.addExample(datasource, { ...body, status: 'verified', by: 'admin' });
    response.status(201).json({ example });
  });

  for (const [action, status] of [
    ['approve', 'verified'],
    ['reject', 'rejected'],
  ] as const) {
    http.post(`/v1/knowledge/:datasource/examples/:id/${action}`, async (request, response) => {
      requireAdmin(request);
      const datasource = configuredDatasource(request.params.datasource);
      response.json({ example: await app.knowledge.setStatus(datasource, request.params.id, status, 'admin') });
    });
  }

  http.get('/v1/knowledge/:datasource/check', async (request, response) => {
    requireAdmin(request);
    const datasource = await app.datasources.get(request.params.datasource);
    const meta = await app.datasources.schema(datasource.id);
    response.json(await knowledgeCheckReport(app.knowledge, datasource, meta));
  });

  // Eval runs, for the web console's latest comparison. Read-only: runs are written by `sqlagent eval run`.
  http.get('/v1/evals/runs', async (_request, response) => {
    const { listRuns } = await import('../evals/index.ts');
    response.json({ runs: await listRuns(app.config.evals.reportsDir) });
  });

  http.get('/v1/evals/runs/:id', async (request, response) => {
    const items = request.query.items;
    if (items !== undefined && items !== 'true' && items !== 'false')
      throw new InvalidInputError('The query parameter "items" must be true or false.', { field: 'items' });
    const { readReport } = await import('../evals/index.ts');
    const report = await readReport(app.config.evals.reportsDir, request.params.id);
    response.json(items === 'false' ? { ...report, items: [] } : report);
  });

  // MCP for agents (src/mcp/): the same tools, guard, cache and tracing. Until API keys, every caller is `mcp`:
  // every datasource, no admin scope.
  const mcpAccessOf = () => ({ userId: 'mcp', allowDatasource: () => true, allowAdmin: false });
  http.all('/mcp', mcpHttpHandler(app, mcpAccessOf));

  http.use((request, response) => {
    response.status(404).json({ error: { code: 'not_found', message: `No route for ${request.method} ${request.path}.` } });
  });

  http.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const { status, body } = toHttpError(error);
    // A failed question still has a trace: say which, so the failing step can be looked up.
    const traceId = body.error.details?.traceId;
    if (typeof traceId === 'string' && /^[0-9a-f]{32}$/.test(traceId)) response.setHeader('X-Trace-Id', traceId);
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
