import type { CachedAnswer } from '../../src/cache/index.ts';

/** A plausible cached answer for cache tests; override any field. */
export function sampleCachedAnswer(overrides: Partial<CachedAnswer> = {}): CachedAnswer {
  return {
    sql: 'SELECT COUNT(*) FROM orders',
    answer: 'There are 42 orders.',
    explanation: null,
    columns: [{ name: 'count', dataType: 'bigint', typeFamily: 'number' }],
    rows: [[42]],
    truncated: false,
    rowsAt: '2025-01-01T00:00:00.000Z',
    createdAt: '2025-01-01T00:00:01.000Z',
    datasource: 'shop',
    schemaVersion: 'v1',
    prompt: 'sql-agent',
    promptVersion: 3,
    label: 'production',
    model: 'gpt-test',
    ...overrides,
  };
}
