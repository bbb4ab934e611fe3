import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../app.ts';
import { z } from 'zod';
import { InvalidInputError } from '../errors/index.ts';
import { assertPromptName } from '../prompts/index.ts';
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

  // Makes a label move take effect at once on this instance (the prompt cache is skipped on next read).
  // Harmless to call, but it is an admin action: the HTTP hardening issue puts it behind the admin scope.
  http.post('/v1/admin/prompts/invalidate', (request, response) => {
    const body = z.object({ name: z.string() }).strict().safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new InvalidInputError(`Invalid request body: ${issue?.path.join('.') || 'body'}: ${issue?.message}. Expected {"name": "<prompt name>"}.`, { field: issue?.path.join('.') || 'body' });
    }
    assertPromptName(body.data.name);
    app.prompts.store.invalidate(body.data.name);
    response.json({ invalidated: body.data.name, store: app.prompts.store.kind });
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
