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

/** The settings a statement's framing changes, as the next user of the connection would see them. */
const sessionSettings = (datasource: Datasource) =>
  datasource.driver.withSession((session) =>
    session.query("SELECT current_setting('statement_timeout'), current_setting('transaction_read_only'), current_setting('search_path')"),
  );

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
    const settings = () => sessionSettings(datasource);
    const before = await settings();
    await datasource.executeReadOnly('SELECT name FROM regions', { timeoutMs: 1234 });
    expect((await settings()).rows).toEqual(before.rows);
  });
});

describe('messages to the PGlite worker for one read-only statement (issue 17)', () => {
  let datasource: Datasource;
  const sent: Array<{ type: string; sql: string }> = [];

  beforeAll(async () => {
    datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'messages', url: 'pglite:memory', sampleValues: false }));
    await datasource.driver.withSession(async (session) => {
      await session.query('CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
      await session.query("INSERT INTO regions VALUES (1, 'North'), (2, 'South'), (3, 'East'), (4, 'West')");
    });
    // Every message the host posts to its worker goes through `send`.
    type Message = { type: string; sql: string };
    const host = (datasource.driver as unknown as { host: { send: (message: Message, timeoutMs?: number) => Promise<unknown> } }).host;
    const send = host.send.bind(host);
    host.send = (message, timeoutMs) => {
      sent.push({ type: message.type, sql: message.sql });
      return send(message, timeoutMs);
    };
  });
  afterAll(() => datasource?.close());

  it('frames a small read in 4 messages: the transaction and its settings, the cursor, the first fetch, the teardown', async () => {
    await datasource.executeReadOnly('SELECT 1 AS warm');
    sent.length = 0;
    const result = await datasource.executeReadOnly('SELECT name FROM regions ORDER BY name LIMIT 3');
    expect(result.rows).toEqual([['East'], ['North'], ['South']]);
    // It was 8: BEGIN, three SETs, DECLARE, FETCH, ROLLBACK, DISCARD ALL. The statement itself still goes
    // alone, in the extended protocol (one statement a message), never inside a script.
    expect(sent.map((message) => message.type)).toEqual(['exec', 'query', 'query', 'exec']);
    expect(sent[0].sql).toMatch(/^BEGIN READ ONLY;\nSET LOCAL/);
    expect(sent[1].sql).toBe('DECLARE sqlagent_cursor NO SCROLL CURSOR FOR SELECT name FROM regions ORDER BY name LIMIT 3\n');
    expect(sent[3].sql).toMatch(/^ROLLBACK;\nCLOSE ALL;/);
  });

  it("gives a teardown at the session's deadline the backstop's grace, instead of stopping the worker", async () => {
    const host = (datasource.driver as unknown as { host: { restarts: number } }).host;
    const restarts = host.restarts;
    await datasource.driver.withSession(
      async (session) => {
        await session.runScript(datasource.adapter.beginReadOnly(300, 'public'));
        // Past the session's deadline when the teardown starts.
        await new Promise((resolve) => setTimeout(resolve, 400));
        await session.runScript(datasource.adapter.endReadOnly(), { throughFailures: true });
      },
      { timeoutMs: 300 },
    );
    expect(host.restarts).toBe(restarts);
    expect((await datasource.executeReadOnly('SELECT count(*) AS n FROM regions')).rows).toEqual([[4]]);
  });

  it('guards a statement once: the second time it is the remembered result', async () => {
    const sql = 'SELECT name FROM regions WHERE id = 2';
    expect(await datasource.guard(sql)).toBe(await datasource.guard(sql));
  });

  it('leaves nothing behind on the connection after the one-message teardown', async () => {
    const settings = () => sessionSettings(datasource);
    const before = await settings();
    await datasource.executeReadOnly('SELECT name FROM regions', { timeoutMs: 1234 });
    expect((await settings()).rows).toEqual(before.rows);
    // A failed statement's teardown too: the transaction is gone, the next read works.
    await expect(datasource.executeReadOnly('SELECT no_such_column FROM regions')).rejects.toThrow(/no_such_column/);
    expect((await settings()).rows).toEqual(before.rows);
    expect((await datasource.executeReadOnly('SELECT count(*) AS n FROM regions')).rows).toEqual([[4]]);
  });
});
