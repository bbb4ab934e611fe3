import { Option, type Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { renderTable } from './render-table.ts';

/** `fixtures list` and `fixtures load`. */
export function registerFixturesCommand(program: Command, context: CliContext): void {
  const fixtures = program.command('fixtures').description('fixture databases');
  fixtures
    .command('list')
    .description('list the fixtures the project ships')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      // The catalog alone: the loader's modules (datasources, zod) are not needed to list.
      const { listFixtures } = await import('../fixtures/fixture-catalog.ts');
      const entries = listFixtures().map((fixture) => ({
        name: fixture.name,
        description: fixture.description,
        today: fixture.today,
        schemas: fixture.schemas,
        tables: fixture.tables.length,
        rows: fixture.defaultRowCount,
      }));
      if (options.json) context.print(JSON.stringify(entries, null, 2));
      else
        context.print(
          renderTable(
            ['name', 'schemas', 'tables', 'rows', 'today', 'description'],
            entries.map((entry) => [entry.name, entry.schemas.join(','), entry.tables, entry.rows, entry.today, entry.description]),
            70,
          ),
        );
    });
  fixtures
    .command('load <name>')
    .description('load a fixture into a database (created if missing); replaces the fixture tables if present')
    .requiredOption('--url <url>', 'postgres://…, mysql://… or pglite:<dir>')
    .option('--seed <n>', 'generator seed', (value) => Number(value), 42)
    .option('--readonly-role <name>', 'also create a SELECT-only login role and grant it the fixture schemas')
    .addOption(new Option('--readonly-password <password>', 'password of that role').env('SQLAGENT_READONLY_PASSWORD').default(''))
    .action(async (name: string, options: { url: string; seed: number; readonlyRole?: string; readonlyPassword: string }) => {
      const [
        { ensureDatabase, getFixture, grantReadOnlyRole, loadFixture, recordEmbeddedFixtureLoad },
        { Datasource, datasourceConfigSchema },
      ] = await Promise.all([import('../fixtures/index.ts'), import('../datasource/index.ts')]);
      const fixture = getFixture(name);
      await ensureDatabase(options.url);
      const datasource = await Datasource.open(
        datasourceConfigSchema.parse({ id: 'fixture', url: options.url, sampleValues: false, poolSize: 1 }),
      );
      try {
        const started = Date.now();
        const result = await loadFixture(fixture, datasource, {
          seed: options.seed,
          onProgress: (message) => context.note(`  ${message}`),
        });
        await recordEmbeddedFixtureLoad(datasource, name, result.totalRows);
        context.print(
          `Loaded fixture ${name} into ${datasource.displayUrl}: ${result.totalRows} rows in ${result.tables.length} tables (${Date.now() - started} ms). Schemas: ${Object.entries(
            result.schemas,
          )
            .map(([logical, physical]) => `${logical} -> ${physical}`)
            .join(', ')}.`,
        );
        if (options.readonlyRole) {
          await grantReadOnlyRole(datasource, options.readonlyRole, options.readonlyPassword, Object.values(result.schemas));
          context.print(`Granted SELECT on ${Object.values(result.schemas).join(', ')} to ${options.readonlyRole}.`);
        }
      } finally {
        await datasource.close();
      }
    });
}
