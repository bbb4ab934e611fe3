import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ForbiddenError, InvalidInputError } from '../errors/index.ts';

/** What a route needs to know of the caller. Until API keys land, the admin scope is one bearer token. */
export interface Access {
  isAdmin(request: Request): boolean;
  /** Throws `ForbiddenError` unless the request has the admin scope. */
  requireAdmin(request: Request): void;
}

export function adminTokenAccess(adminToken: string | undefined): Access {
  const token = adminToken ? Buffer.from(adminToken) : null;
  const isAdmin = (request: Request): boolean => {
    const presented = /^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1];
    if (!token || !presented) return false;
    const candidate = Buffer.from(presented);
    return candidate.length === token.length && timingSafeEqual(candidate, token);
  };
  return {
    isAdmin,
    requireAdmin: (request) => {
      if (!isAdmin(request)) throw new ForbiddenError('This route needs the admin scope (Authorization: Bearer <SQLAGENT_ADMIN_TOKEN>).');
    },
  };
}

// A client's request id is kept when it is a short, safe token; anything else is replaced.
const safeRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (`X-Request-Id`: the client's when safe, else a new one), echoed on the response. */
export function requestIds(request: Request, response: Response, next: NextFunction): void {
  const given = request.get('x-request-id');
  const id = given && safeRequestId.test(given) ? given : randomUUID();
  response.locals.requestId = id;
  response.setHeader('X-Request-Id', id);
  next();
}

/** Validates a JSON body; a failure names the field and what was expected. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
  const parsed = schema.safeParse(body ?? undefined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new InvalidInputError(
    `Invalid request body: ${field}: ${issue?.message}. Expected ${example} (with Content-Type: application/json).`,
    { field },
  );
}

/** One query-string parameter as a single string (a repeated one is refused), or undefined. */
export function queryParameter(request: Request, name: string): string | undefined {
  const value = request.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError(`The query parameter "${name}" must be given once, as text.`, { field: name });
  return value;
}

/** A `true`/`false` query parameter (default false). */
export function booleanParameter(request: Request, name: string): boolean {
  const value = queryParameter(request, name);
  if (value !== undefined && value !== 'true' && value !== 'false')
    throw new InvalidInputError(`The query parameter "${name}" must be true or false.`, { field: name });
  return value === 'true';
}

/** A positive whole-number query parameter within [1, max], or `fallback` when absent. */
export function countParameter(request: Request, name: string, fallback: number, max: number): number {
  const value = queryParameter(request, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new InvalidInputError(`The query parameter "${name}" must be a whole number from 1 to ${max}.`, { field: name });
  return Number(value);
}
