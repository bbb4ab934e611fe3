import { authorizationHeaders } from './api-key.ts';
import { ApiError, errorOf } from './api-error.ts';
import type { ErrorBody, QueryResult, QueryStep } from './api-types.ts';

export interface QueryRequest {
  datasource: string;
  question: string;
  userId?: string;
  sessionId?: string;
  cache?: 'use' | 'bypass' | 'refresh';
}

export interface QueryStreamHandlers {
  onStep(step: QueryStep): void;
  onSql(sql: string): void;
}

/** One server-sent event: its name and its data (JSON). */
interface ServerEvent {
  event: string;
  data: string;
}

/** Splits a growing event-stream text into whole events (blank-line separated), keeping the unfinished rest. */
export function takeEvents(buffer: string): { events: ServerEvent[]; rest: string } {
  const normalized = buffer.replace(/\r\n/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: ServerEvent[] = [];
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * `POST /v1/query` with `Accept: text/event-stream`, read with fetch and a stream reader (EventSource cannot
 * POST): each `step` and the `sql` go to the handlers as they arrive; resolves with the `result`, or throws
 * the `error` event (or the refusal before the stream started) as an ApiError. Aborting the signal closes
 * the stream, which aborts the run on the server.
 */
export async function streamQuery(request: QueryRequest, handlers: QueryStreamHandlers, signal?: AbortSignal): Promise<QueryResult> {
  let response: Response;
  try {
    response = await fetch('/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authorizationHeaders() },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    throw ApiError.from(error);
  }
  if (!response.ok || !response.body) throw await errorOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let result: QueryResult | null = null;
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw ApiError.from(error);
    }
    if (chunk.done) break;
    const { events, rest } = takeEvents(buffer + chunk.value);
    buffer = rest;
    for (const { event, data } of events) {
      const payload = JSON.parse(data) as unknown;
      if (event === 'step') handlers.onStep(payload as QueryStep);
      else if (event === 'sql') handlers.onSql((payload as { sql: string }).sql);
      else if (event === 'result') result = payload as QueryResult;
      else if (event === 'error') {
        const { status, error } = payload as { status: number; error: ErrorBody };
        throw new ApiError(status, error);
      }
    }
  }
  if (!result) throw new ApiError(0, { code: 'stream_ended', message: 'The answer stream ended before the result arrived.' });
  return result;
}
