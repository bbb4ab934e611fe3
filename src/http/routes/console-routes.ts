import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { packageRoot } from '../package-root.ts';
import { allowPlainHttp } from './plain-http-pages.ts';

/** Where `npm run build` (scripts/build.mjs, Vite) puts the console: `dist/console/` of the package. */
export function defaultConsoleDirectory(): string {
  return path.join(packageRoot()?.directory ?? process.cwd(), 'dist/console');
}

/** Whether the console's build is there to serve. */
export function consoleIsBuilt(directory: string): boolean {
  return existsSync(path.join(directory, 'index.html'));
}

/** What `/` answers when the console was not built: how to build it, no script, no crash. */
const notBuiltPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>sqlagent console: not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The web console is not built</h1>
<p>This service serves its console from <code>dist/console/</code>, which is missing. Build it with
<code>npm run build</code> (it also runs on <code>npm install</code>, when the dev dependencies are installed), then reload.</p>
<p>The API works without it: <a href="/docs">/docs</a> describes every route.</p>
</body>
</html>
`;

/**
 * The web console at `/` (a static build of `console/`): `index.html` is never cached, so a new build shows
 * at once, and Vite's hashed files under `/assets/` are cached for a year. Mounted with `http.use`, so the
 * console's files are not API routes (the OpenAPI document lists routes only). A missing build is a page
 * saying how to build it, read again on each request, so building while the service runs is enough.
 */
export function consoleRoutes(http: Express, directory: string): void {
  let indexHtml: Buffer | null = null;
  const assets = express.static(path.join(directory, 'assets'), {
    index: false,
    immutable: true,
    maxAge: '365d',
    fallthrough: true,
  });
  const rootFiles = express.static(directory, { index: false, maxAge: 0, fallthrough: true });

  http.use(async (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path === '/' || request.path === '/index.html') {
      indexHtml ??= await readFile(path.join(directory, 'index.html')).catch(() => null);
      response.setHeader('Cache-Control', 'no-cache');
      allowPlainHttp(response);
      if (indexHtml === null) {
        response.status(503).type('html').send(notBuiltPage);
        return;
      }
      response.type('html').send(indexHtml);
      return;
    }
    if (request.path.startsWith('/assets/')) {
      request.url = request.url.slice('/assets'.length);
      return assets(request, response, () => {
        request.url = `/assets${request.url}`;
        next();
      });
    }
    if (request.path === '/favicon.svg') {
      response.setHeader('Cache-Control', 'no-cache');
      return rootFiles(request, response, next);
    }
    next();
  });
}
