import { z } from 'zod';
import { ForbiddenError } from '../errors/index.ts';
import type { McpAccess } from './mcp-access.ts';

/** The `datasource` argument every datasource tool takes: a configured id, never a URL (as over HTTP). */
export const datasourceArgument = z.string().min(1).max(100).describe('A datasource id from list_datasources, such as "shop".');

/** Refuses a datasource the caller may not use (`forbidden`), before anything opens it. */
export function assertDatasourceAllowed(access: McpAccess, id: string): void {
  if (!access.allowDatasource(id)) throw new ForbiddenError(`This caller may not use the datasource "${id}".`, { datasource: id });
}
