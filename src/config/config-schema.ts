import { z } from 'zod';
import { datasourceConfigSchema } from '../datasource/index.ts';

/**
 * The whole service configuration. Every field has a default, so an empty config starts the embedded
 * demo: PGlite datasources `shop` and `clinic` under `.data/`, loaded from `fixtures/` on first use.
 */
export const configSchema = z
  .object({
    server: z
      .object({
        /** Interface to listen on. Default `127.0.0.1`; set `0.0.0.0` in a container. */
        host: z.string().default('127.0.0.1'),
        /** TCP port. Default 8080. */
        port: z.number().int().min(0).max(65_535).default(8080),
        /** Largest accepted request body. Default `100kb`. */
        bodyLimit: z.string().default('100kb'),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, bodyLimit: '100kb' }),
    /** Directory for embedded state (PGlite databases, later the trace store). Default `.data`. */
    dataDir: z.string().min(1).default('.data'),
    /** Named datasources. Default: `shop` and `clinic` on embedded PGlite (see `defaultDatasources`). */
    datasources: z.array(datasourceConfigSchema).optional(),
    introspection: z
      .object({
        /** How long an introspected schema is served from cache. Default 300 000 ms (5 minutes). */
        ttlMs: z.number().int().min(0).default(300_000),
        /** Time budget for sample values per introspection. Default 5000 ms. */
        sampleBudgetMs: z.number().int().min(0).default(5000),
      })
      .strict()
      .default({ ttlMs: 300_000, sampleBudgetMs: 5000 }),
    /** `debug`, `info`, `warn`, `error` or `silent`. Default `info`. */
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Omit<z.infer<typeof configSchema>, 'datasources'> & {
  datasources: z.infer<typeof datasourceConfigSchema>[];
};

/** The embedded demo datasources, under `dataDir`. */
export function defaultDatasources(dataDir: string): z.input<typeof datasourceConfigSchema>[] {
  return [
    { id: 'shop', url: `pglite:${dataDir}/shop`, fixture: 'shop', description: 'Demo shop: customers, orders, payments (embedded PGlite)' },
    { id: 'clinic', url: `pglite:${dataDir}/clinic`, fixture: 'clinic', description: 'Demo clinic: patients, doctors, appointments (embedded PGlite)' },
  ];
}
