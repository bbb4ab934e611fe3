export { createHttpApp } from './create-http-app.ts';
export { toHttpError, type ErrorBody } from './error-mapping.ts';
