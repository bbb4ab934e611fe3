import { connect } from 'node:net';

/** Where the test servers are; override with TEST_POSTGRES_URL, TEST_MYSQL_URL, TEST_REDIS_URL. */
export const serverUrls = {
  postgres: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** CI sets REQUIRE_SERVERS=1: then a missing server fails the run instead of skipping tests. */
export const requireServers = process.env.REQUIRE_SERVERS === '1';

/** Whether something accepts TCP connections at the URL's host and port, within a short timeout. */
export function isReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol.startsWith('postgres') ? 5432 : parsed.protocol.startsWith('redis') ? 6379 : 3306));
  return new Promise((resolve) => {
    const socket = connect({ host: parsed.hostname, port });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A URL for database `name` on the server at `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
