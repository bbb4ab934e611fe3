import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../app.ts';
import { InvalidInputError } from '../errors/index.ts';
import { toHttpError } from './error-mapping.ts';

/** The HTTP API over the composition root. Routes stay thin: validate, call, return JSON. */
export function createHttpApp(app: App): express.Express {
  const http = express();
  http.disable('x-powered-by');
  http.use(express.json({ limit: app.config.server.bodyLimit }));

  http.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
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

  http.use((request, response) => {
    response.status(404).json({ error: { code: 'not_found', message: `No route for ${request.method} ${request.path}.` } });
  });

  http.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) app.logger.error('request failed', { method: request.method, path: request.path, status, error: String((error as Error)?.stack ?? error) });
    response.status(status).json(body);
  });

  return http;
}
