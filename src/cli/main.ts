import { Command, CommanderError } from 'commander';
import { registerAskCommand } from './ask-command.ts';
import { createCliContext, processIo, type CliIo } from './cli-context.ts';
import { registerKeysCommand } from './keys-command.ts';
import { registerEvalCommand } from './eval-command.ts';
import { exitCodeOf } from './exit-codes.ts';
import { registerFeedbackCommand } from './feedback-command.ts';
import { registerFixturesCommand } from './fixtures-command.ts';
import { registerKnowledgeCommand } from './knowledge-command.ts';
import { registerMcpCommand } from './mcp-command.ts';
import { registerPromptsCommand } from './prompts-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerSqlCommands } from './sql-commands.ts';
import { registerStatsCommand } from './stats-command.ts';
import { registerTracesCommand } from './traces-command.ts';

/**
 * Runs the `sqlagent` command line with `argv` (without `node` and the script) and returns its exit
 * code. Commands load what they run when they run, so `--help` loads none of the app. Errors print as
 * `error [code]: message` (or JSON with `--json`), passwords masked, and map to their exit codes.
 *
 * @example
 * const code = await runCli(['sql', 'shop', 'SELECT 1'], { out, err, env: process.env, terminal: null });
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command();
  const context = createCliContext(io, () => program.opts().config);
  program
    .name('sqlagent')
    .description('Text-to-SQL agent service: ask questions of Postgres, MySQL and embedded PGlite data.')
    .option('-c, --config <file>', 'config file (JSON or YAML); default $SQLAGENT_CONFIG')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  // Subcommands inherit the exit override and the output from the program, so register them after.
  registerServeCommand(program, context);
  registerFixturesCommand(program, context);
  registerSqlCommands(program, context);
  registerPromptsCommand(program, context);
  registerAskCommand(program, context);
  registerTracesCommand(program, context);
  registerStatsCommand(program, context);
  registerFeedbackCommand(program, context);
  registerKnowledgeCommand(program, context);
  registerEvalCommand(program, context);
  registerKeysCommand(program, context);
  registerMcpCommand(program, context);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    // Commander reports help and usage mistakes as errors with their own exit code (help is 0).
    if (error instanceof CommanderError) return error.exitCode === 1 ? exitCodeOf('invalid_input') : error.exitCode;
    const { ServiceError } = await import('../errors/index.ts');
    const { passwordOf } = await import('../datasource/index.ts');
    const { redactSecrets } = await import('../logging/index.ts');
    const code = error instanceof ServiceError ? error.code : 'internal_error';
    // Passwords may come from the command line itself (a URL given as a datasource).
    const secrets = argv.map((argument) => passwordOf(argument)).filter((secret): secret is string => Boolean(secret));
    const message = error instanceof Error ? error.message : String(error);
    if (argv.includes('--json')) {
      const body = JSON.stringify({ error: { code, message, details: error instanceof ServiceError ? error.details : undefined } });
      io.err(`${redactSecrets(body, secrets)}\n`);
    } else {
      io.err(`${redactSecrets(`error [${code}]: ${message}`, secrets)}\n`);
    }
    return exitCodeOf(code);
  }
}
