import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Datasource, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const environment = inject('testEnvironment');

/**
 * Counts the round trips a Postgres client makes: each simple Query message ('Q') and each Sync ('S',
 * which ends an extended-protocol exchange) waits for the server's ReadyForQuery. Parses the frontend
 * stream of every connection: its first message (startup) has no type byte.
 */
class RoundTripCounter {
  roundTrips = 0;
  private readonly pending = new Map<Socket, { buffer: Buffer; started: boolean }>();

  observe(chunk: Buffer, client: Socket): void {
    const state = this.pending.get(client) ?? { buffer: Buffer.alloc(0), started: false };
    this.pending.set(client, state);
    state.buffer = Buffer.concat([state.buffer, chunk]);
    for (;;) {
      if (!state.started) {
        if (state.buffer.length < 4) return;
        const length = state.buffer.readInt32BE(0);
        if (state.buffer.length < length) return;
        state.buffer = state.buffer.subarray(length);
        state.started = true;
        continue;
      }
      if (state.buffer.length < 5) return;
      const length = state.buffer.readInt32BE(1);
      if (state.buffer.length < length + 1) return;
      const type = String.fromCharCode(state.buffer[0]);
      if (type === 'Q' || type === 'S') this.roundTrips += 1;
      state.buffer = state.buffer.subarray(length + 1);
    }
  }
}

describe.skipIf(!environment.postgres)('round trips of one read-only statement on Postgres (issue 17)', () => {
  const counter = new RoundTripCounter();
  let proxy: TcpProxy;
  let datasource: Datasource;

  beforeAll(async () => {
    const target = new URL(environment.postgres!.shop);
    proxy = new TcpProxy(target.hostname, Number(target.port), (chunk, client) => counter.observe(chunk, client));
    target.port = String(await proxy.start());
    datasource = await Datasource.open(
      datasourceConfigSchema.parse({ id: 'trips', url: target.toString(), poolSize: 1, sampleValues: false }),
    );
  });
  afterAll(async () => {
    await datasource?.close();
    await proxy?.stop();
  });

  it('frames a small read in 4 round trips: the transaction and its settings, the cursor, the first fetch with the cut timeout, the teardown', async () => {
    await datasource.executeReadOnly('SELECT 1 AS warm');
    counter.roundTrips = 0;
    const result = await datasource.executeReadOnly('SELECT name FROM regions ORDER BY name LIMIT 3');
    expect(result.rowCount).toBe(3);
    // It was 10: BEGIN, three SETs, DECLARE, SET, FETCH, CLOSE, ROLLBACK, DISCARD ALL.
    expect(counter.roundTrips).toBe(4);
  });

  it('still leaves nothing behind on the connection after the one-round-trip teardown', async () => {
    const settings = () =>
      datasource.driver.withSession((session) =>
        session.query(
          "SELECT current_setting('statement_timeout'), current_setting('transaction_read_only'), current_setting('search_path')",
        ),
      );
    const before = await settings();
    await datasource.executeReadOnly('SELECT name FROM regions', { timeoutMs: 1234 });
    expect((await settings()).rows).toEqual(before.rows);
  });
});
