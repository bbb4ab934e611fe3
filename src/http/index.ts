export { createHttpApp, type HttpAppOptions } from './create-http-app.ts';
export { toHttpError, type ErrorBody } from './error-mapping.ts';
