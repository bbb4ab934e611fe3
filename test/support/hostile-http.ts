import { request as httpRequest } from 'node:http';

/**
 * Maximum-size hostile requests for every route of the HTTP API (issue 13: no request may hold the event
 * loop), and a bare HTTP client that sends one and reads the whole answer.
 */
export const adminToken = 'admin-token-for-tests-0123456789';
export const bodyLimit = 100 * 1024;

/** One request of the hostile mix: a method, a path and a raw body (sent as JSON unless `contentType` says). */
export interface Probe {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  contentType?: string;
  admin?: boolean;
}

/** Text of about `size` characters made of `unit` repeated. */
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
/** A JSON body of just under the body limit whose one long field is `unit` repeated. */
const maxJson = (build: (text: string) => unknown, unit: string, room = 200) => JSON.stringify(build(fill(unit, bodyLimit - room)));

// Long runs of one letter (quadratic for byte-pair encoding and for careless regular expressions), things
// that look like URLs with credentials, secrets, escapes, odd Unicode, and SQL.
const hostileTexts = [
  'a',
  'Ab1',
  'postgres://user:',
  'https://x:y@',
  'sk-',
  '\\u0041',
  '\u0301e\u0301',
  '😀',
  "'; DROP TABLE orders; --",
  'how many orders per customer per month ',
  ' ',
];

export function probes(): Probe[] {
  const list: Probe[] = [];
  for (const unit of hostileTexts) {
    // The question route: a body at the limit (refused by length), and questions at the length limit that
    // the whole agent handles (prompt, knowledge retrieval, the offline model, the guard, the database).
    list.push({ method: 'POST', path: '/v1/query', body: maxJson((text) => ({ datasource: 'shop', question: text }), unit) });
    list.push({
      method: 'POST',
      path: '/v1/query',
      body: JSON.stringify({ datasource: 'shop', question: fill(unit, 2000), userId: fill(unit, 200), cache: 'bypass' }),
    });
    list.push({ method: 'POST', path: '/v1/query', body: maxJson((text) => ({ datasource: text, question: 'How many orders?' }), unit) });
    // The OpenAI-compatible offline model: one long question, one long tool result, one long system prompt.
    const chat = (messages: (text: string) => unknown[], room: number) =>
      list.push({
        method: 'POST',
        path: '/v1/chat/completions',
        body: maxJson((text) => ({ model: 'offline', messages: messages(text) }), unit, room),
      });
    chat((text) => [{ role: 'user', content: text }], 200);
    chat(
      (text) => [
        { role: 'system', content: 'You answer questions.' },
        { role: 'user', content: 'How many orders?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'execute_sql', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: text },
      ],
      400,
    );
    chat(
      (text) => [
        { role: 'system', content: `Dialect: postgres\n${text}` },
        { role: 'user', content: 'How many orders per month?' },
      ],
      300,
    );
    // Admin routes with the token, and bodies at the limit.
    list.push({ method: 'POST', path: '/v1/admin/prompts/invalidate', body: maxJson((text) => ({ name: text }), unit), admin: true });
    list.push({
      method: 'POST',
      path: '/v1/knowledge/shop/examples',
      body: maxJson((text) => ({ question: text, sql: `SELECT '${text.slice(0, 3000)}'` }), unit, 3400),
      admin: true,
    });
    // Long paths and query strings on the read routes.
    const segment = encodeURIComponent(fill(unit, 4000));
    list.push({ method: 'GET', path: `/v1/datasources/${segment}/schema` });
    list.push({ method: 'GET', path: `/v1/knowledge/${segment}/examples?status=${segment}`, admin: true });
    list.push({ method: 'GET', path: `/v1/evals/runs/${segment}` });
    list.push({ method: 'GET', path: `/healthz?${segment}` });
    list.push({ method: 'GET', path: `/v1/datasources?${segment}` });
    list.push({ method: 'GET', path: `/${segment}` });
  }
  // Malformed bodies at the limit: deep nesting, a string of escapes, many keys, not JSON at all.
  list.push({ method: 'POST', path: '/v1/query', body: fill('[', bodyLimit - 10) });
  list.push({ method: 'POST', path: '/v1/query', body: `{"datasource":"shop","question":"${fill('\\"', bodyLimit - 60)}"}` });
  list.push({
    method: 'POST',
    path: '/v1/query',
    body: `{${Array.from({ length: 6000 }, (_, index) => `"k${index}":${index}`).join(',')}}`.slice(0, bodyLimit - 10),
  });
  list.push({ method: 'POST', path: '/v1/chat/completions', body: fill('{"a":', bodyLimit - 10) });
  list.push({ method: 'POST', path: '/v1/query', body: fill('x', bodyLimit - 10), contentType: 'text/plain' });
  list.push({ method: 'POST', path: '/v1/query', body: fill('x', bodyLimit * 3) });
  return list;
}

/** Sends one probe and reads the whole answer; resolves with the status (0 when the socket was cut). */
export function send(base: string, probe: Probe): Promise<number> {
  return new Promise((resolve) => {
    const url = new URL(base);
    const body = probe.body === undefined ? undefined : Buffer.from(probe.body);
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: probe.method,
        path: probe.path,
        headers: {
          ...(body ? { 'content-type': probe.contentType ?? 'application/json', 'content-length': body.length } : {}),
          ...(probe.admin ? { authorization: `Bearer ${adminToken}` } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    outgoing.on('error', () => resolve(0));
    outgoing.end(body);
  });
}
