import type { Express, Request, Response } from 'express';
import type { App } from '../../app.ts';
import { AppDatabaseUnavailableError, ForbiddenError, InvalidInputError, TraceNotFoundError } from '../../errors/index.ts';
import type { LocalSpanStore } from '../../tracing/local-store/index.ts';
import { parseStatsGrouping, parseSince } from '../../tracing/local-store/index.ts';
import * as api from '../api-schemas.ts';
import { countParameter, queryParameter, tokenCheck, type Access } from '../request-helpers.ts';

const traceIdPattern = /^[0-9a-f]{32}$/;

/** The local span store, or 503 saying how to turn local traces on. */
async function traceStore(app: App): Promise<LocalSpanStore> {
  const store = await app.traceStore();
  if (store === null)
    throw new AppDatabaseUnavailableError(
      'Local traces are off (tracing.localStore is false), so there are no traces or stats to read here. Turn them on with SQLAGENT_LOCAL_TRACES=true.',
      { field: 'tracing.localStore' },
    );
  return store;
}

/** `since` as an instant: a duration back from now (`30m`, `24h`, `7d`) or an ISO date-time; `fallback` when absent. */
function sinceParameter(request: Request, fallback: string | null): Date | undefined {
  const value = queryParameter(request, 'since') ?? fallback;
  return value === null ? undefined : parseSince(value, { name: 'since' });
}

/**
 * Traces, stats (the read scope) and feedback (the feedback scope) over HTTP, thin over the local span store
 * and `app.recordFeedback`:
 * `GET /v1/traces`, `GET /v1/traces/:id`, `GET /v1/stats`, `POST /v1/feedback`; and `GET /metrics`.
 */
export function traceRoutes(http: Express, app: App, access: Access): void {
  http.get('/v1/traces', async (request, response) => {
    access.require(request, 'read');
    const user = queryParameter(request, 'user');
    const label = queryParameter(request, 'label');
    const traces = await (
      await traceStore(app)
    ).listTraces({
      since: sinceParameter(request, null),
      user,
      label,
      limit: countParameter(request, 'limit', 50, 1000),
    });
    response.json(api.documented(api.traceListSchema, { traces }));
  });

  http.get('/v1/traces/:id', async (request, response) => {
    access.require(request, 'read');
    const id = request.params.id;
    if (!traceIdPattern.test(id)) throw new InvalidInputError('A trace id is 32 lowercase hexadecimal characters.', { field: 'id' });
    const store = await traceStore(app);
    const tree = await store.getTrace(id);
    if (!tree) throw new TraceNotFoundError(id);
    response.json(api.documented(api.traceTreeSchema, { ...tree, feedback: await store.listFeedback(id) }));
  });

  http.get('/v1/stats', async (request, response) => {
    access.require(request, 'read');
    const since = sinceParameter(request, '24h')!;
    const by = parseStatsGrouping(queryParameter(request, 'by') ?? 'label', 'by');
    const { computeStats } = await import('../../tracing/local-store/index.ts');
    response.json(
      api.documented(api.statsSchema, { since: since.toISOString(), by, groups: await computeStats(await traceStore(app), { since, by }) }),
    );
  });

  http.post('/v1/feedback', async (request, response) => {
    access.require(request, 'feedback');
    const result = await app.recordFeedback(request.body ?? {});
    response.status(201).json(api.documented(api.feedbackResultSchema, result));
  });

  // With server.metricsPort, /metrics lives on that port only (see startServer).
  if (app.config.server.metricsPort === undefined) http.get('/metrics', metricsHandler(app));
}

/** `GET /metrics`: the Prometheus text of the service's registry, behind `server.metricsToken` when one is set. */
export function metricsHandler(app: App) {
  const holdsMetricsToken = app.config.server.metricsToken ? tokenCheck(app.config.server.metricsToken) : null;
  return async (request: Request, response: Response) => {
    if (holdsMetricsToken && !holdsMetricsToken(request))
      throw new ForbiddenError('GET /metrics needs Authorization: Bearer <SQLAGENT_METRICS_TOKEN>.');
    response.setHeader('Content-Type', app.metrics.contentType);
    response.send(await app.metrics.registry.metrics());
  };
}
