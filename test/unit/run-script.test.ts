import { describe, expect, it } from 'vitest';
import { runOneByOne } from '../../src/datasource/driver.ts';

describe('running a script of our own one statement at a time', () => {
  const recorder = (failing: string) => {
    const ran: string[] = [];
    const query = async (sql: string) => {
      ran.push(sql);
      if (sql === failing) throw new Error(`${sql} failed`);
      return { fields: [], rows: [] };
    };
    return { ran, query };
  };

  it('stops at the first failure by default (a setup must not go on half done)', async () => {
    const { ran, query } = recorder('SET b');
    await expect(runOneByOne(query, ['SET a', 'SET b', 'START TRANSACTION'])).rejects.toThrow('SET b failed');
    expect(ran).toEqual(['SET a', 'SET b']);
  });

  it('runs every statement of a teardown through failures, then throws the first', async () => {
    const { ran, query } = recorder('ROLLBACK');
    await expect(
      runOneByOne(query, ['ROLLBACK', 'SET SESSION x = DEFAULT', 'DO RELEASE_ALL_LOCKS()'], { throughFailures: true }),
    ).rejects.toThrow('ROLLBACK failed');
    expect(ran).toEqual(['ROLLBACK', 'SET SESSION x = DEFAULT', 'DO RELEASE_ALL_LOCKS()']);
  });
});
