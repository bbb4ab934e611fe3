import { getGlobalLogger } from '@langfuse/core';
import { describe, expect, it } from 'vitest';
import { createLogger, routeLangfuseLogs } from '../../src/logging/index.ts';

describe('the Langfuse SDK logging through ours', () => {
  it('turns its errors into one JSON warning each, without stacks, at most one per kind of message a minute', async () => {
    const lines: string[] = [];
    await routeLangfuseLogs(createLogger('debug', (line) => lines.push(line)));
    const sdk = getGlobalLogger();
    const failure = new Error('Status code: 500');
    sdk.error("Error fetching prompt 'agent/db_agent-label:production':", failure);
    sdk.error("Error fetching prompt 'agent/db_agent-label:staging':", failure);
    sdk.warn("Failed to refresh prompt cache 'agent/db_agent-label:production', stale cache will be used");
    sdk.debug('Fetched prompt in 12 ms');
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((line) => [line.level, line.message, line.sdkMessage])).toEqual([
      ['warn', 'Langfuse SDK', "Error fetching prompt 'agent/db_agent-label:production':"],
      ['warn', 'Langfuse SDK', "Failed to refresh prompt cache 'agent/db_agent-label:production', stale cache will be used"],
      ['debug', 'Langfuse SDK', 'Fetched prompt in 12 ms'],
    ]);
    expect(parsed[0].detail).toBe('Error: Status code: 500');
    expect(lines.join('\n')).not.toContain(' at ');
    // The SDK's logger is the process's: leave it writing nowhere, not into this test's array.
    await routeLangfuseLogs(createLogger('silent'));
  });
});
