import type { Express, Response } from 'express';
import type { z } from 'zod';
import type { App } from '../../app.ts';
import { ForbiddenError } from '../../errors/index.ts';
import { toHttpError } from '../error-mapping.ts';
import type { CallerLimits } from '../rate-limits.ts';
import { documented, queryEventSchemas, queryRequestSchema, queryResultSchema } from '../api-schemas.ts';
import { parseBody, type Access } from '../request-helpers.ts';

/** How often an idle event stream gets a comment line, so proxies do not close it. */
const heartbeatMs = 15_000;

/** Adds an answer's cost to its caller's spend of the day (see the rate-limit middleware). */
async function recordSpend(app: App, response: Response, costUsd: number | null | undefined): Promise<void> {
  const limit = response.locals.rateLimit as { key: string; limits: CallerLimits } | undefined;
  if (limit) await app.rateLimits().recordSpend(limit.key, limit.limits, costUsd ?? null);
}

/** Writes one server-sent event; its data is typed as the document describes that event's. */
function sendEvent<E extends keyof typeof queryEventSchemas>(
  response: Response,
  event: E,
  data: z.input<(typeof queryEventSchemas)[E]>,
): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * `POST /v1/query`: a question in, the answer object out. With `Accept: text/event-stream` the answer
 * streams as server-sent events while the tool loop runs: `step` (tier, tool, arguments, outcome summary,
 * duration) for each tool call, then `sql`, `result` (the whole answer object) and `done`; or `error` (the
 * error object, with its status) instead. Comment lines keep an idle stream open. A client that
 * disconnects aborts the run, streaming or not.
 */
export function queryRoutes(http: Express, app: App, access: Access): void {
  http.post('/v1/query', async (request, response) => {
    const body = parseBody(
      queryRequestSchema,
      request.body,
      '{"datasource": "shop", "question": "…", "userId"?: "…", "sessionId"?: "…", "label"?: "staging", "cache"?: "use" | "bypass" | "refresh", "today"?: "2025-07-01", "timeoutMs"?: 30000}',
    );
    const caller = access.require(request, 'query', body.datasource);
    const admin = caller.scopes.has('admin');
    if (body.today && !admin)
      throw new ForbiddenError('Pinning "today" needs the admin scope (Authorization: Bearer <SQLAGENT_ADMIN_TOKEN>).');
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    // A key's id stands for the user when the request names none.
    const userId = body.userId ?? (caller.id === 'anonymous' ? undefined : caller.id);
    const question = { ...body, userId, labelAllowed: admin, signal: controller.signal };
    if (request.get('accept')?.includes('text/event-stream') !== true) {
      const result = await app.queries.ask(question);
      await recordSpend(app, response, result.costUsd);
      response.setHeader('X-Trace-Id', result.traceId);
      response.json(documented(queryResultSchema, result));
      return;
    }

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
    try {
      const result = await app.queries.ask({
        ...question,
        onStep: (step) =>
          sendEvent(response, 'step', {
            tier: step.tier,
            index: step.index,
            tool: step.tool,
            arguments: step.arguments,
            summary: step.summary,
            error: step.error,
            durationMs: step.durationMs,
          }),
      });
      await recordSpend(app, response, result.costUsd);
      sendEvent(response, 'sql', { sql: result.sql });
      sendEvent(response, 'result', result);
      sendEvent(response, 'done', { traceId: result.traceId });
    } catch (error) {
      const { status, body: errorBody } = toHttpError(error);
      const traceId = errorBody.error.details?.traceId;
      if (typeof traceId === 'string') errorBody.error.traceId = traceId;
      if (status >= 500) app.logger.error('streamed request failed', { status, error: String((error as Error)?.stack ?? error) });
      sendEvent(response, 'error', { status, error: { ...errorBody.error, requestId: String(response.locals.requestId) } });
    } finally {
      clearInterval(heartbeat);
      response.end();
    }
  });
}
