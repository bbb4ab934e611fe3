import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Datasource, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { DatasourceUnavailableError } from '../../src/errors/index.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const environment = inject('testEnvironment');
const servers = [
  { name: 'postgres', url: environment.postgres?.shop ?? null, skipReason: environment.skipReasons.postgres },
  { name: 'mariadb', url: environment.mysql?.shop ?? null, skipReason: environment.skipReasons.mysql },
];

for (const server of servers) {
  describe.skipIf(server.url === null)(
    `${server.name} that goes away${server.skipReason ? ` (skipped: ${server.skipReason})` : ''}`,
    () => {
      let proxy: TcpProxy | null = null;
      let datasource: Datasource | null = null;
      afterEach(async () => {
        await datasource?.close();
        await proxy?.stop();
      });

      it('gives DatasourceUnavailableError when the server stops mid-life, and recovers when it is back', async () => {
        const target = new URL(server.url!);
        proxy = new TcpProxy(target.hostname, Number(target.port));
        const port = await proxy.start();
        target.port = String(port);
        datasource = await Datasource.open(
          datasourceConfigSchema.parse({ id: 'flaky', url: target.toString(), connectTimeoutMs: 1000, poolSize: 2 }),
        );
        expect((await datasource.executeReadOnly('SELECT COUNT(*) FROM regions')).rows).toEqual([[12]]);

        await proxy.stop();
        // A real outage is seen by the client before the next request arrives.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const error = await datasource.executeReadOnly('SELECT COUNT(*) FROM regions').catch((caught) => caught);
        expect(error).toBeInstanceOf(DatasourceUnavailableError);
        expect(error.message).toMatch(/flaky/);
        expect(error.message).not.toMatch(/:\/\/[^@]*:[^@]*@/);

        proxy = new TcpProxy(new URL(server.url!).hostname, Number(new URL(server.url!).port));
        proxy.port = port;
        await proxy.start();
        expect((await datasource.executeReadOnly('SELECT COUNT(*) FROM regions')).rows).toEqual([[12]]);
      });

      it('gives DatasourceUnavailableError when nothing listens, with the password masked', async () => {
        const target = new URL(server.url!);
        target.port = '1';
        target.password = 'very-secret';
        const error = await Datasource.open(
          datasourceConfigSchema.parse({ id: 'nowhere', url: target.toString(), connectTimeoutMs: 1000 }),
        ).catch((caught) => caught);
        expect(error).toBeInstanceOf(DatasourceUnavailableError);
        expect(error.message).toMatch(/nowhere/);
        expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('very-secret');
      });
    },
  );
}
