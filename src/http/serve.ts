import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../app.ts';
import type { ChatModel } from '../llm/index.ts';
import { createHttpApp } from './create-http-app.ts';
import { toHttpError } from './error-mapping.ts';
import { assertAuthFitsHost } from './request-helpers.ts';
import { consoleIsBuilt, defaultConsoleDirectory } from './routes/console-routes.ts';
import { metricsHandler } from './routes/trace-routes.ts';

/** A listening service, and how to stop it without cutting a request. */
export interface RunningServer {
  server: Server;
  /** The port it listens on (the configured one, or the one given for port 0). */
  port: number;
  /** The port of `GET /metrics` when `server.metricsPort` sets one apart, else null. */
  metricsPort: number | null;
  /**
   * Drains and stops: `/readyz` answers 503 at once, no new connection is accepted, idle keep-alive
   * connections close, and requests in flight may finish for up to `server.shutdownGraceMs`; those still
   * running then are cut. Resolves once the server is closed (the app itself is not closed).
   */
  drain(reason: string): Promise<{ inFlightAtStart: number; cut: number }>;
}

/** Starts the HTTP service of `app` on its configured host and port (or `port`). */
export async function startServer(
  app: App,
  options: { port?: number; host?: string; chatCompletionsModel?: ChatModel } = {},
): Promise<RunningServer> {
  const host = options.host ?? app.config.server.host;
  // Before anything listens: auth off is for loopback only.
  const authWarning = assertAuthFitsHost(app.config.server.apiKeys, host);
  if (authWarning) app.logger.warn(authWarning);
  if (app.config.server.console && !consoleIsBuilt(defaultConsoleDirectory()))
    app.logger.warn('the web console is not built, so / answers a page saying how to build it: run npm run build', {
      missing: defaultConsoleDirectory(),
    });
  const lifecycle = { draining: false, inFlight: 0 };
  const http = createHttpApp(app, { chatCompletionsModel: options.chatCompletionsModel, lifecycle });
  const server = createServer((request, response) => {
    lifecycle.inFlight += 1;
    response.once('close', () => {
      lifecycle.inFlight -= 1;
      // While draining, a kept-alive connection closes once its answer is out, so the server can close.
      if (lifecycle.draining) setImmediate(() => server.closeIdleConnections());
    });
    if (lifecycle.draining) response.setHeader('Connection', 'close');
    http(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? app.config.server.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? app.config.server.port);
  const metrics = app.config.server.metricsPort === undefined ? null : await listenForMetrics(app, host, app.config.server.metricsPort);

  let draining: Promise<{ inFlightAtStart: number; cut: number }> | null = null;
  const drain = (reason: string) => {
    draining ??= (async () => {
      lifecycle.draining = true;
      const inFlightAtStart = lifecycle.inFlight;
      app.logger.info('draining', { reason, inFlight: inFlightAtStart, graceMs: app.config.server.shutdownGraceMs });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace_over'>((resolve) => {
        timer = setTimeout(() => resolve('grace_over'), app.config.server.shutdownGraceMs);
      });
      metrics?.server.close();
      metrics?.server.closeAllConnections();
      const outcome = await Promise.race([closed.then(() => 'closed' as const), graceOver]);
      clearTimeout(timer);
      let cut = 0;
      if (outcome === 'grace_over') {
        cut = lifecycle.inFlight;
        app.logger.warn('shutdown grace over; cutting the requests still running', { requests: cut });
        server.closeAllConnections();
        await closed;
      }
      return { inFlightAtStart, cut };
    })();
    return draining;
  };
  return { server, port, metricsPort: metrics?.port ?? null, drain };
}

/** `GET /metrics` alone, on its own port (for a scraper on a network the API is not on). */
async function listenForMetrics(app: App, host: string, port: number): Promise<{ server: Server; port: number }> {
  const metrics = express();
  metrics.disable('x-powered-by');
  metrics.get('/metrics', metricsHandler(app));
  metrics.use((request: Request, response: Response) => {
    response.status(404).json({
      error: {
        code: 'not_found',
        message: `Only GET /metrics is served on this port, not ${request.method} ${request.path.slice(0, 100)}.`,
      },
    });
  });
  metrics.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const { status, body } = toHttpError(error);
    response.status(status).json(body);
  });
  const server = createServer(metrics);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
