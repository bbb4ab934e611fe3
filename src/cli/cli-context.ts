import type { App } from '../app.ts';
import type { Config } from '../config/index.ts';
import type { DatasourceRegistry } from '../datasource/index.ts';

/** Where a CLI run reads and writes: the process's streams, or a test's buffers. */
export interface CliIo {
  /** Standard output (results). */
  out(text: string): void;
  /** Standard error (progress, notes, errors). */
  err(text: string): void;
  /** The environment config is read from. */
  env: NodeJS.ProcessEnv;
  /** The stream progress bars draw on, when it is a terminal; null elsewhere. */
  terminal: NodeJS.WriteStream | null;
}

/** What every command gets: its I/O, config and the app, each loaded only when a command runs. */
export interface CliContext {
  io: CliIo;
  /** Writes a line to standard output. */
  print(text: string): void;
  /** Writes a line to standard error. */
  note(text: string): void;
  /** The config: the global `--config` file (or `SQLAGENT_CONFIG`), the environment, then `overrides`. */
  config(overrides?: Record<string, unknown>): Promise<Readonly<Config>>;
  /**
   * Builds the app from config, runs `work`, and always closes the app. `warm` names a datasource (id or
   * URL) to start opening and introspecting while the app's modules load: a one-shot command then pays
   * for the slower of the two, not both. With `asks` (a command that asks it a question), its guard's parser
   * and knowledge are readied too (`app.warm`); a command that checks the knowledge itself does not want that.
   */
  withApp(work: (app: App) => Promise<void>, options?: { warm?: string; asks?: boolean; spoolTraces?: boolean }): Promise<void>;
  /** The exit code of this run (a command that fails softly, such as a gate, sets it). */
  exitCode: number;
}

/** The process's own I/O. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    terminal: process.stderr.isTTY ? process.stderr : null,
  };
}

/** A context over `io`; `configFile` reads the global `--config` option when a command runs. */
export function createCliContext(io: CliIo, configFile: () => string | undefined): CliContext {
  const context: CliContext = {
    io,
    exitCode: 0,
    print: (text) => io.out(`${text}\n`),
    note: (text) => io.err(`${text}\n`),
    async config(overrides) {
      const { loadConfig } = await import('../config/index.ts');
      return loadConfig({ file: configFile(), env: io.env, overrides });
    },
    async withApp(work, options = {}) {
      const config = await context.config();
      let datasources: DatasourceRegistry | undefined;
      // The datasource starts opening (in its own worker or pool) before the app's modules load. Errors
      // surface again, with their context, when the command uses it.
      if (options.warm) {
        const [{ configuredSecrets, createDatasourceRegistry }, { createLogger }] = await Promise.all([
          import('../app-datasources.ts'),
          import('../logging/index.ts'),
        ]);
        datasources = createDatasourceRegistry(config, createLogger(config.logLevel, { secrets: configuredSecrets(config) }));
        datasources.warm(options.warm, { allowUrl: true });
      }
      const { createApp } = await import('../app.ts');
      // A one-shot command exposes no metrics, so it records none (and never loads prom-client).
      const app = createApp(config, { datasources, spoolTraces: options.spoolTraces, recordMetrics: false });
      // While the database opens: its guard's parser loads and its knowledge file parses; the knowledge is
      // checked against the schema as soon as that is known.
      if (options.warm && options.asks) void app.warm(options.warm, { allowUrl: true });
      try {
        await work(app);
      } finally {
        await app.close();
      }
    },
  };
  return context;
}
