export { startServer, type RunningServer } from './serve.ts';
export { createHttpApp, type HttpAppOptions } from './create-http-app.ts';
export { toHttpError, type ErrorBody } from './error-mapping.ts';
export { buildOpenApiDocument, type OpenApiDocument } from './openapi.ts';
