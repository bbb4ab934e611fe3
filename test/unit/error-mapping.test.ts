import { describe, expect, it } from 'vitest';
import { DatasourceUnavailableError, ModelUnavailableError } from '../../src/errors/index.ts';
import { toHttpError, withoutHosts } from '../../src/http/error-mapping.ts';

describe('error messages for callers', () => {
  it('name what failed, never the host, address or port', () => {
    const cases: Array<[string, string]> = [
      ['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED <host>'],
      ['getaddrinfo ENOTFOUND db.internal.example', 'getaddrinfo ENOTFOUND <host>'],
      ['getaddrinfo EAI_AGAIN redis', 'getaddrinfo EAI_AGAIN <host>'],
      ['request to https://llm.corp.example:8443/v1/chat/completions failed', 'request to https://<host>/v1/chat/completions failed'],
      ['connect ETIMEDOUT [fd00::12]:3306', 'connect ETIMEDOUT <host>'],
      ['connect ECONNREFUSED ::1:5432', 'connect ECONNREFUSED <host>'],
      ['no route to 10.1.2.3', 'no route to <host>'],
      ['redis://:secret@cache.internal:6379/0 refused', 'redis://<host>/0 refused'],
      ['Could not reach localhost:11434', 'Could not reach <host>'],
      ['connect to the-db.svc.cluster.local:3306 refused', 'connect to <host> refused'],
      ['from my-app->postgres://u:p@db-1.example.com:5432/x', 'from my-app->postgres://<host>/x'],
    ];
    for (const [text, masked] of cases) expect(withoutHosts(text)).toBe(masked);
    // What is not a server stays as it was: times, dates, decimals, SQL.
    for (const text of [
      'The statement was stopped at 12:30:05 on 2025-07-01T12:30:00Z',
      "SELECT o.total::numeric(10,2) FROM orders o WHERE o.created_at > '2025-01-01 10:00'",
      'a ratio of 3.5 and version 4',
      // A long run of name characters (a hostile datasource id in a path) is a name of no server.
      `Unknown datasource "${'sk-'.repeat(1400)}".`,
      `${'a.'.repeat(2000)}b`,
    ])
      expect(withoutHosts(text)).toBe(text);
  });

  it('are masked in the message and in every string of the details', () => {
    const { status, body } = toHttpError(
      new DatasourceUnavailableError('Datasource "warehouse" is unavailable: connect ECONNREFUSED 10.0.0.7:5432', {
        datasource: 'warehouse',
        attempts: [{ message: 'The model gpt-4o is unavailable: connect ECONNREFUSED llm.internal:8000' }],
      }),
    );
    expect(status).toBe(503);
    expect(JSON.stringify(body)).not.toMatch(/10\.0\.0\.7|5432|llm\.internal|8000/);
    expect(body.error.details).toMatchObject({ datasource: 'warehouse', attempts: [{ message: expect.stringContaining('<host>') }] });
    expect(toHttpError(new ModelUnavailableError('The model x is down')).body.error.message).toBe('The model x is down');
  });
});
