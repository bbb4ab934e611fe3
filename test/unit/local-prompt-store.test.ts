import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, PromptNotFoundError, PromptTemplateError } from '../../src/errors/index.ts';
import { LocalPromptStore } from '../../src/prompts/index.ts';

const shipped = path.resolve(import.meta.dirname, '../../prompts');
const name = 'agent/db_agent';

describe('the local prompt store', () => {
  let directory: string;
  let store: LocalPromptStore;
  const clock = { now: new Date('2026-11-27T10:00:00.000Z') };

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'sqlagent-prompts-'));
    await cp(shipped, directory, { recursive: true });
    store = new LocalPromptStore({ directory, reloadIntervalMs: 100, now: () => clock.now });
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('ships agent/db_agent v1..v7 with every label set', async () => {
    expect(await store.list()).toEqual([
      { name, versions: [1, 2, 3, 4, 5, 6, 7], labels: { production: 6, staging: 7, variant_a: 2, variant_b: 3, latest: 7 } },
    ]);
  });

  it('serves production by default, a label, latest, or a version; and says which labels a version has', async () => {
    const production = await store.get(name);
    expect(production).toMatchObject({ name, version: 6, labels: ['production'], source: 'local', isFallback: false });
    expect(production.config).toMatchObject({ model: 'gpt-4o-mini', temperature: 0 });
    expect(production.commitMessage).toMatch(/glossary and metrics of constant size/);
    const detailed = await store.get(name, { label: 'variant_a' });
    expect(detailed).toMatchObject({ version: 2, labels: ['variant_a'] });
    expect(detailed.config.examples?.length).toBeGreaterThan(0);
    expect(detailed.commitMessage).toMatch(/Detailed rules/);
    expect((await store.get(name, { label: 'staging' })).version).toBe(7);
    expect((await store.get(name, { label: 'latest' })).labels).toEqual(['staging', 'latest']);
    expect((await store.get(name, { version: 1 })).labels).toEqual([]);
    expect((await store.get(name, { version: 1, label: 'staging' })).version).toBe(1);
  });

  it('names what is missing', async () => {
    await expect(store.get('agent/nope')).rejects.toThrow(/Prompt "agent\/nope" not found .* Known prompts: agent\/db_agent/);
    await expect(store.get(name, { label: 'canary' })).rejects.toThrow(/has the label "canary". Labels: production -> v6/);
    await expect(store.get(name, { version: 9 })).rejects.toThrow(PromptNotFoundError);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(InvalidInputError);
  });

  it('treats labels named like Object.prototype members as ordinary labels', async () => {
    for (const label of ['constructor', 'tostring', 'valueof', 'hasownproperty'])
      await expect(store.get(name, { label })).rejects.toThrow(new RegExp(`has the label "${label}". Labels: production -> v6`));
    await expect(store.rollback(name, 'constructor')).rejects.toThrow(/has no earlier version to roll back to/);
    await store.setLabel(name, 'constructor', 2);
    expect((await store.get(name, { label: 'constructor' })).version).toBe(2);
    await store.setLabel(name, 'constructor', 3);
    expect(await store.rollback(name, 'constructor')).toBe(2);
  });

  it('creates the next version, labelled latest only, with its front matter', async () => {
    clock.now = new Date('2026-11-28T00:00:00.000Z');
    const created = await store.createVersion(
      name,
      'Hello {{ meta.datasource }}',
      { temperature: 0.2, custom: { any: 'json' } },
      'try a greeting',
    );
    expect(created).toMatchObject({
      version: 8,
      labels: ['latest'],
      commitMessage: 'try a greeting',
      createdAt: '2026-11-28T00:00:00.000Z',
    });
    expect(created.config).toEqual({ temperature: 0.2, custom: { any: 'json' } });
    expect(await readFile(path.join(directory, 'agent/db_agent/v8.md'), 'utf8')).toMatch(
      /^---\nversion: 8\ncreatedAt: 2026-11-28T00:00:00.000Z\ncommitMessage: try a greeting\nconfig:/,
    );
    expect((await store.get(name, { label: 'latest' })).version).toBe(8);
    expect((await store.get(name)).version).toBe(6);
    const fresh = await store.createVersion('agent/answer_summary', 'Summarize.', {}, 'first');
    expect(fresh.version).toBe(1);
  });

  it('refuses a broken template, a bad config, latest and bad labels, without writing anything', async () => {
    await expect(store.createVersion(name, 'Hello {% for x in %}', {}, 'broken')).rejects.toThrow(PromptTemplateError);
    await expect(store.createVersion(name, 'ok', { temperature: 7 }, 'bad config')).rejects.toThrow(
      /config of the new version is invalid: temperature/,
    );
    await expect(store.setLabel(name, 'latest', 1)).rejects.toThrow(/"latest" always points at the highest version/);
    await expect(store.setLabel(name, 'Prod Uction', 1)).rejects.toThrow(/Invalid label/);
    await expect(store.setLabel(name, 'production', 42)).rejects.toThrow(/has no version 42/);
    expect((await store.list())[0]).toMatchObject({ versions: [1, 2, 3, 4, 5, 6, 7], labels: { production: 6 } });
  });

  it('moves a label (off every other version) and rolls back across several moves', async () => {
    await store.setLabel(name, 'production', 3);
    expect((await store.get(name, { version: 6 })).labels).toEqual([]);
    expect((await store.get(name)).version).toBe(3);
    await store.setLabel(name, 'production', 1);
    const history = (await store.labelHistory(name)).production;
    expect(history.slice(-2).map((move) => move.version)).toEqual([3, 1]);
    expect(history.at(-1)!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await store.rollback(name, 'production')).toBe(3);
    expect((await store.labelHistory(name)).production.at(-1)!.version).toBe(3);
    expect(await store.rollback(name, 'production')).toBe(6);
    expect(await store.rollback(name, 'production')).toBe(5);
    expect(await store.rollback(name, 'production')).toBe(4);
    expect(await store.rollback(name, 'production')).toBe(2);
    expect(await store.rollback(name, 'production')).toBe(1);
    expect((await store.get(name)).version).toBe(1);
    await expect(store.rollback(name, 'production')).rejects.toThrow(/no earlier version to roll back to/);
    await expect(store.rollback(name, 'variant_b')).rejects.toThrow(/no earlier version/);
  });

  it('sees changes made on disk by anyone within reloadIntervalMs, with no restart', async () => {
    expect((await store.get(name)).version).toBe(6);
    // Another process (an editor, git, a second replica) changes the files.
    const other = new LocalPromptStore({ directory, reloadIntervalMs: 0 });
    await other.createVersion(name, 'Version eight', {}, 'from elsewhere');
    await other.setLabel(name, 'production', 8);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await store.get(name)).version).toBe(8);

    const labelsFile = path.join(directory, 'agent/db_agent/labels.yaml');
    await writeFile(labelsFile, (await readFile(labelsFile, 'utf8')).replace('production: 8', 'production: 3'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await store.get(name)).version).toBe(3);
  });

  it('reports an unreadable version file for that version only', async () => {
    await writeFile(path.join(directory, 'agent/db_agent/v3.md'), '---\nconfig: [not, a, mapping\n---\nbody');
    store.invalidate(name);
    await expect(store.get(name, { version: 3 })).rejects.toThrow(/v3 cannot be read: v3\.md/);
    expect((await store.get(name)).version).toBe(6);
  });
});
