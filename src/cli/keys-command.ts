import { createHash, randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { InvalidInputError } from '../errors/index.ts';
import type { CliContext } from './cli-context.ts';

const scopes = ['query', 'read', 'feedback', 'admin'] as const;

/** A comma-separated list, trimmed, without empty entries. */
const listOf = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** `keys create`: a new API key, printed once, with the config entry that holds only its SHA-256. */
export function registerKeysCommand(program: Command, context: CliContext): void {
  const keys = program.command('keys').description('API keys for the HTTP API and MCP (kept in config by their SHA-256 only)');
  keys
    .command('create')
    .description('make a new API key: prints the key once, and the server.apiKeys entry to add')
    .requiredOption('--scopes <list>', `comma-separated scopes: ${scopes.join(', ')}`)
    .option('--datasources <list>', 'comma-separated datasource ids the key may query (default: * for all)', '*')
    .option('--id <id>', 'the key id, recorded as the user of its requests (default: key-<random>)')
    .action((options: { scopes: string; datasources: string; id?: string }) => {
      const chosen = listOf(options.scopes);
      const unknown = chosen.filter((scope) => !(scopes as readonly string[]).includes(scope));
      if (chosen.length === 0 || unknown.length > 0)
        throw new InvalidInputError(`--scopes takes ${scopes.join(', ')}; got "${options.scopes}".`, { field: 'scopes' });
      const datasources = listOf(options.datasources);
      if (datasources.length === 0) throw new InvalidInputError('--datasources needs at least one id, or *.', { field: 'datasources' });
      const id = options.id ?? `key-${randomBytes(3).toString('hex')}`;
      if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(id))
        throw new InvalidInputError(`--id uses lower-case letters, digits, _ and -; got "${id}".`, { field: 'id' });
      const key = `sqa_${randomBytes(32).toString('base64url')}`;
      const entry = { id, sha256: createHash('sha256').update(key).digest('hex'), scopes: [...new Set(chosen)], datasources };
      context.print(key);
      context.note(
        [
          '',
          'The key above is shown this once: store it now. The service keeps only its SHA-256.',
          'Add this entry to server.apiKeys in the config file:',
          `  - { id: ${entry.id}, sha256: ${entry.sha256}, scopes: [${entry.scopes.join(', ')}], datasources: [${entry.datasources.map((name) => (name === '*' ? "'*'" : name)).join(', ')}] }`,
          'or to the JSON array in SQLAGENT_API_KEYS:',
          `  ${JSON.stringify(entry)}`,
          'Clients send it as: Authorization: Bearer <key>',
        ].join('\n'),
      );
    });
}
