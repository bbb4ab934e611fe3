import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { App } from '../app.ts';
import { InvalidInputError } from '../errors/index.ts';
import type { PromptSelector, PromptVersion } from '../prompts/index.ts';
import { renderTable } from './render-table.ts';

/** `v3`, `3` or a label name → a selector. */
function selectorOf(reference: string): PromptSelector {
  const match = /^v?(\d+)$/.exec(reference);
  return match ? { version: Number(match[1]) } : { label: reference };
}

function selectorFromOptions(options: { label?: string; version?: string }): PromptSelector {
  if (options.label && options.version) throw new InvalidInputError('Give --label or --version, not both.', { field: 'label' });
  if (options.version !== undefined) {
    if (!/^\d+$/.test(options.version))
      throw new InvalidInputError(`--version must be a whole number, got "${options.version}".`, { field: 'version' });
    return { version: Number(options.version) };
  }
  return options.label ? { label: options.label } : {};
}

function describe(version: PromptVersion): string {
  const lines = [
    `${version.name} v${version.version}  [${version.labels.join(', ') || 'no labels'}]  source: ${version.source}${version.isFallback ? ' (fallback)' : ''}`,
    `commit: ${version.commitMessage ?? '(none)'}`,
    `created: ${version.createdAt ?? '(unknown)'}`,
    `config: ${JSON.stringify(version.config)}`,
  ];
  return lines.join('\n');
}

/** The `prompts` sub-commands; each works against the store the config chooses. */
export function registerPromptsCommand(program: Command, context: CliContext): void {
  const { print, withApp } = context;
  const prompts = program.command('prompts').description('versioned prompts and their labels (local files or Langfuse, as configured)');

  prompts
    .command('list')
    .description('every prompt with its versions and labels')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) =>
      withApp(async (app) => {
        const summaries = await app.prompts.store.list();
        if (options.json) {
          print(JSON.stringify(summaries, null, 2));
          return;
        }
        print(
          renderTable(
            ['prompt', 'versions', 'labels'],
            summaries.map((summary) => [
              summary.name,
              summary.versions.join(', '),
              Object.entries(summary.labels)
                .map(([label, version]) => `${label}=v${version}`)
                .join(' '),
            ]),
            100,
          ),
        );
      }),
    );

  prompts
    .command('show <name>')
    .description('one version: metadata, config and template (default: the production label)')
    .option('--label <label>', 'the version this label points at')
    .option('--version <n>', 'this version')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { label?: string; version?: string; json?: boolean }) =>
      withApp(async (app) => {
        const version = await app.prompts.store.get(name, selectorFromOptions(options));
        if (options.json) {
          print(JSON.stringify(version, null, 2));
          return;
        }
        print(`${describe(version)}\n---\n${version.template}`);
      }),
    );

  prompts
    .command('diff <name> <a> <b>')
    .description('line diff of two versions (each a number like 2 or v2, or a label)')
    .action(async (name: string, a: string, b: string) =>
      withApp(async (app) => {
        const { diffLines } = await import('../prompts/index.ts');
        const [left, right] = [await app.prompts.store.get(name, selectorOf(a)), await app.prompts.store.get(name, selectorOf(b))];
        print(`--- ${name} v${left.version} (${a})\n+++ ${name} v${right.version} (${b})`);
        const configDiff = diffLines(JSON.stringify(left.config, null, 2), JSON.stringify(right.config, null, 2));
        if (configDiff.some((line) => !line.startsWith('  '))) print(`@@ config @@\n${configDiff.join('\n')}`);
        print(`@@ template @@\n${diffLines(left.template, right.template).join('\n')}`);
      }),
    );

  prompts
    .command('render <name>')
    .description("compile a version against a datasource's live schema; prints the prompt and its token count")
    .requiredOption('--datasource <id>', 'configured datasource id or URL')
    .option('--label <label>', 'render the version this label points at (default: as routed)')
    .option('--version <n>', 'render this version')
    .option('--user <id>', 'route as this user (experiments)')
    .option('--question <text>', 'render the verified examples retrieved for this question')
    .action(async (name: string, options: { datasource: string; label?: string; version?: string; user?: string; question?: string }) =>
      withApp(async (app) => {
        const { renderPrompt } = await import('../prompt-rendering.ts');
        const rendered = await renderPrompt(app, {
          name,
          datasource: options.datasource,
          selector: selectorFromOptions(options),
          userId: options.user,
          question: options.question,
          allowUrl: true,
        });
        const { compiled, version, routing } = rendered;
        print(compiled.text);
        context.note(
          `\n${name} v${version.version} (label ${routing.label}, ${routing.reason}) on ${rendered.datasource}: ${compiled.tokenCount} tokens`,
        );
      }),
    );

  prompts
    .command('create <name>')
    .description('store a new version from a file (front matter may carry config and commitMessage)')
    .requiredOption('--file <path>', 'template file')
    .option('-m, --message <text>', 'commit message')
    .action(async (name: string, options: { file: string; message?: string }) =>
      withApp(async (app) => {
        const text = await readFile(options.file, 'utf8').catch((error) => {
          throw new InvalidInputError(`Cannot read ${options.file}: ${(error as Error).message}`, { field: 'file' });
        });
        const { parseFrontMatter, promptConfigSchema } = await import('../prompts/index.ts');
        let parsed: ReturnType<typeof parseFrontMatter>;
        try {
          parsed = parseFrontMatter(text);
        } catch (error) {
          throw new InvalidInputError(`The front matter of ${options.file} is invalid: ${(error as Error).message}`, { field: 'file' });
        }
        const config = promptConfigSchema.safeParse(parsed.data.config ?? {});
        if (!config.success)
          throw new InvalidInputError(
            `The config in ${options.file} is invalid: ${config.error.issues[0]?.path.join('.')}: ${config.error.issues[0]?.message}`,
            { field: 'config' },
          );
        const message =
          options.message ?? (typeof parsed.data.commitMessage === 'string' ? parsed.data.commitMessage : `created from ${options.file}`);
        const version = await app.prompts.store.createVersion(name, parsed.body, config.data, message);
        print(
          `Created ${name} v${version.version} in the ${app.prompts.store.kind} store. Promote it with: prompts promote ${name} ${version.version} --label staging`,
        );
      }),
    );

  prompts
    .command('promote <name> <version>')
    .description('point a label at a version (takes it off every other version)')
    .requiredOption('--label <label>', 'the label to move')
    .action(async (name: string, version: string, options: { label: string }) =>
      withApp(async (app) => {
        const selector = selectorOf(version);
        if (selector.version === undefined)
          throw new InvalidInputError(`The version must be a number like 3 or v3, got "${version}".`, { field: 'version' });
        await app.prompts.store.setLabel(name, options.label, selector.version);
        print(`${name}: ${options.label} -> v${selector.version}`);
      }),
    );

  prompts
    .command('rollback <name>')
    .description('move a label back to the version it pointed at before its last move')
    .requiredOption('--label <label>', 'the label to move back')
    .action(async (name: string, options: { label: string }) =>
      withApp(async (app) => {
        const version = await app.prompts.store.rollback(name, options.label);
        print(`${name}: ${options.label} rolled back to v${version}`);
      }),
    );

  prompts
    .command('invalidate <name>')
    .description('make a running service re-read a prompt now (after a label move in Langfuse)')
    .option('--server <url>', 'the service (default: http://<server.host>:<server.port> from config)')
    .action(async (name: string, options: { server?: string }) =>
      withApp(async (app) => {
        const server =
          options.server ??
          `http://${app.config.server.host === '0.0.0.0' ? '127.0.0.1' : app.config.server.host}:${app.config.server.port}`;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (app.config.server.adminToken) headers.authorization = `Bearer ${app.config.server.adminToken}`;
        const response = await fetch(`${server}/v1/admin/prompts/invalidate`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name }),
        }).catch((error) => {
          throw new InvalidInputError(`Cannot reach the service at ${server}: ${(error as Error).message}`, { field: 'server' });
        });
        const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
        if (!response.ok)
          throw new InvalidInputError(`The service answered ${response.status}: ${body.error?.message ?? 'no details'}`, { field: 'name' });
        print(`${server}: ${name} will be re-read on its next use.`);
      }),
    );

  for (const [command, direction] of [
    ['push', 'local files to Langfuse'],
    ['pull', 'Langfuse to local files'],
  ] as const) {
    prompts
      .command(`${command} [names...]`)
      .description(`copy prompts from ${direction}: missing versions are created (matched by content), labels are pointed alike`)
      .action(async (names: string[]) =>
        withApp(async (app) => {
          const [{ promptStoreSettings }, { createLangfusePromptStore, createLocalPromptStore, syncPrompts }] = await Promise.all([
            import('../app.ts'),
            import('../prompts/index.ts'),
          ]);
          const settings = promptStoreSettings(app.config);
          const local = createLocalPromptStore(settings);
          const langfuse = createLangfusePromptStore(settings, app.logger);
          const reports = command === 'push' ? await syncPrompts(local, langfuse, names) : await syncPrompts(langfuse, local, names);
          for (const report of reports) {
            print(
              `${report.name}: versions ${Object.entries(report.versions)
                .map(([from, to]) => `v${from}->v${to}`)
                .join(
                  ' ',
                )}; created ${report.created.length ? report.created.map((version) => `v${version}`).join(', ') : 'none'}; labels ${Object.entries(
                report.labels,
              )
                .map(([label, version]) => `${label}=v${version}`)
                .join(' ')}`,
            );
          }
        }),
      );
  }
}
