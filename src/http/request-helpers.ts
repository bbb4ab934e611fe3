import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ConfigError, ForbiddenError, InvalidInputError, UnauthorizedError } from '../errors/index.ts';

/** A scope an API key may hold. */
export type Scope = 'query' | 'read' | 'feedback' | 'admin';

/** Who is asking: a key's id and what it may do, or the anonymous caller of a loopback demo. */
export interface Principal {
  /** The key id (recorded as the user when a request names none); `anonymous` with auth off. */
  id: string;
  /** The key's own rate limits, where it has them. */
  requestsPerMinute?: number;
  dailySpendUsd?: number | null;
  scopes: ReadonlySet<Scope>;
  /** The datasources it may query, or `*` for all. */
  datasources: ReadonlySet<string> | '*';
}

/** What a route needs to know of the caller. */
export interface Access {
  /** Whether requests need a key (any is configured). */
  readonly keysRequired: boolean;
  /** The caller; `UnauthorizedError` (401) when a key is needed and missing or unknown. */
  principal(request: Request): Principal;
  /** The caller, if it holds `scope` (and may use `datasource`); else 401 or `ForbiddenError` (403). */
  require(request: Request, scope: Scope, datasource?: string): Principal;
  /** Whether the caller holds the admin scope (never throws). */
  isAdmin(request: Request): boolean;
  /** Throws 401/403 unless the caller holds the admin scope. */
  requireAdmin(request: Request): void;
}

export interface ApiKeyEntry {
  id: string;
  sha256: string;
  scopes: readonly Scope[];
  datasources: readonly string[];
  requestsPerMinute?: number;
  dailySpendUsd?: number | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (request: Request) => /^Bearer ([\x21-\x7e]{1,512})$/.exec(request.get('authorization') ?? '')?.[1] ?? null;

/**
 * API keys, held as SHA-256 hashes: a bearer token is hashed and looked up, so neither the config nor a
 * comparison ever holds a key in clear. The admin token (`server.adminToken`) is one more key with every
 * scope. Without any key configured, auth is off and the caller is `anonymous` with the query, read and
 * feedback scopes on every datasource (allowed only on a loopback address: see `assertAuthFitsHost`).
 */
export function createAccess(keys: readonly ApiKeyEntry[], adminToken: string | undefined): Access {
  const byHash = new Map(keys.map((key) => [key.sha256, key]));
  const adminHash = adminToken ? Buffer.from(sha256(adminToken)) : null;
  const keysRequired = keys.length > 0;
  const anonymous: Principal = { id: 'anonymous', scopes: new Set<Scope>(['query', 'read', 'feedback']), datasources: '*' };
  const admin: Principal = { id: 'admin', scopes: new Set<Scope>(['query', 'read', 'feedback', 'admin']), datasources: '*' };

  const principal = (request: Request): Principal => {
    const token = bearer(request);
    if (token !== null) {
      const hash = sha256(token);
      if (adminHash && timingSafeEqual(Buffer.from(hash), adminHash)) return admin;
      const key = byHash.get(hash);
      if (key)
        return {
          id: key.id,
          scopes: new Set(key.scopes),
          datasources: key.datasources.includes('*') ? '*' : new Set(key.datasources),
          requestsPerMinute: key.requestsPerMinute,
          dailySpendUsd: key.dailySpendUsd,
        };
      if (keysRequired) throw new UnauthorizedError('The API key is not known to this service.');
    }
    if (keysRequired) throw new UnauthorizedError('This service needs an API key: Authorization: Bearer <key>.');
    return anonymous;
  };
  const require = (request: Request, scope: Scope, datasource?: string): Principal => {
    const caller = principal(request);
    if (!caller.scopes.has(scope))
      throw new ForbiddenError(
        scope === 'admin'
          ? 'This route needs the admin scope (Authorization: Bearer <SQLAGENT_ADMIN_TOKEN> or a key with the admin scope).'
          : `This route needs the "${scope}" scope, which the key "${caller.id}" does not have.`,
        { scope },
      );
    if (datasource !== undefined && caller.datasources !== '*' && !caller.datasources.has(datasource))
      throw new ForbiddenError(`The key "${caller.id}" may not use the datasource "${datasource.slice(0, 100)}".`, {
        datasource: datasource.slice(0, 100),
      });
    return caller;
  };
  return {
    keysRequired,
    principal,
    require,
    isAdmin: (request) => {
      try {
        return principal(request).scopes.has('admin');
      } catch {
        return false;
      }
    },
    requireAdmin: (request) => void require(request, 'admin'),
  };
}

/** A bearer-token check of its own (the metrics token). */
export function tokenCheck(token: string): (request: Request) => boolean {
  const expected = Buffer.from(sha256(token));
  return (request) => {
    const presented = bearer(request);
    return presented !== null && timingSafeEqual(Buffer.from(sha256(presented)), expected);
  };
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Refuses to serve with auth off anywhere but a loopback address: with no API key configured, anyone who
 * can reach the port could query every datasource. Returns a warning to log when auth is off on loopback.
 */
export function assertAuthFitsHost(keys: readonly unknown[], host: string): string | null {
  if (keys.length > 0) return null;
  if (!loopbackHosts.has(host) && !/^127\./.test(host))
    throw new ConfigError(
      `Auth is off (no API key is configured) and the server would listen on ${host}, where anyone who reaches the port could query every datasource. Create a key with \`sqlagent keys create\` and add it to server.apiKeys (or SQLAGENT_API_KEYS), or listen on 127.0.0.1.`,
      { field: 'server.apiKeys' },
    );
  return 'Auth is off (no API key is configured): allowed because the server listens on loopback only. Configure server.apiKeys before exposing it.';
}

/**
 * CORS for the configured origins only (none by default: browsers on other origins cannot read answers).
 * A preflight from an allowed origin is answered 204 with the methods and headers the API uses.
 */
export function corsFor(origins: readonly string[]) {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.get('origin');
    if (origins.length === 0 || !origin || (!any && !allowed.has(origin))) {
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    response.setHeader('Vary', 'Origin');
    response.setHeader(
      'Access-Control-Expose-Headers',
      'X-Request-Id, X-Trace-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
    );
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, X-Request-Id');
      response.setHeader('Access-Control-Max-Age', '600');
      response.status(204).end();
      return;
    }
    next();
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
