import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi.ts';
import { packageRoot } from '../package-root.ts';
import { allowPlainHttp } from './plain-http-pages.ts';

/** The Swagger UI files /docs serves, from the `swagger-ui-dist` package: no CDN, nothing fetched elsewhere. */
const swaggerAssets = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

// A page with no inline script, so the Content-Security-Policy of helmet (script-src 'self') holds.
const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sqlagent API</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const initScript = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', validatorUrl: null, deepLinking: true });\n`;

/** `GET /openapi.json` (the document, built once) and `GET /docs` (Swagger UI over it, self-hosted). */
export function docsRoutes(http: Express): void {
  let document: OpenApiDocument | undefined;
  http.get('/openapi.json', (_request, response) => {
    document ??= buildOpenApiDocument({ version: packageRoot()?.version ?? '0.0.0' });
    response.json(document);
  });

  http.get('/docs', (_request, response) => {
    allowPlainHttp(response);
    response.type('html').send(docsPage);
  });
  http.get('/docs/init.js', (_request, response) => {
    response.type('application/javascript').send(initScript);
  });
  const assetDirectory = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = express.static(assetDirectory, { index: false, maxAge: '1d', fallthrough: true });
  http.get('/docs/assets/:file', (request, response, next) => {
    if (!swaggerAssets.includes(request.params.file)) {
      next();
      return;
    }
    request.url = `/${request.params.file}`;
    assets(request, response, next);
  });
}
