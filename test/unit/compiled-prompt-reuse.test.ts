import { describe, expect, it } from 'vitest';
import type { SchemaMeta } from '../../src/datasource/index.ts';
import { PromptService, identityOf, type PromptStore, type PromptVersion } from '../../src/prompts/index.ts';

const meta: SchemaMeta = {
  datasource: 'shop',
  dialect: 'postgres',
  engine: 'postgres',
  serverVersion: '16',
  schemaVersion: 'v1',
  introspectedAt: '2025-01-01T00:00:00.000Z',
  schemas: [{ name: 'public', tables: [] }],
};

/** A store that hands out a new object per read, as the real stores do, with a template that can change. */
function storeWith(template: { text: string }): PromptStore {
  return {
    kind: 'local',
    get: async (name: string): Promise<PromptVersion> => ({
      name,
      version: 3,
      labels: ['production'],
      template: template.text,
      config: {},
      commitMessage: null,
      createdAt: null,
      source: 'local',
      isFallback: false,
    }),
  } as unknown as PromptStore;
}

describe('compiled prompts are kept per version and context (issue 17)', () => {
  const request = { prompt: 'agent/db_agent' };
  const variables = { meta, dialect: 'postgres', row_limit: 100 };

  it('renders a version once per context key, and again for another key, another today or another template', async () => {
    const template = { text: 'Rows at most {{ row_limit }} on {{ today }} for {{ meta.datasource }}.' };
    const service = new PromptService(storeWith(template), { experiments: [], defaultLabel: 'production', today: '2025-07-01' });
    const first = await service.resolve(request, variables, 'context-a');
    const again = await service.resolve(request, variables, 'context-a');
    expect(again.compiled).toBe(first.compiled);
    expect(first.compiled.text).toBe('Rows at most 100 on 2025-07-01 for shop.');

    const otherContext = await service.resolve(request, { ...variables, row_limit: 5 }, 'context-b');
    expect(otherContext.compiled.text).toBe('Rows at most 5 on 2025-07-01 for shop.');
    const otherDay = await service.resolve(request, { ...variables, today: '2025-08-01' }, 'context-a');
    expect(otherDay.compiled.text).toBe('Rows at most 100 on 2025-08-01 for shop.');

    // A version's text edited in place (a local file rewritten under the same number) is rendered anew.
    template.text = 'Edited: {{ row_limit }}.';
    expect((await service.resolve(request, variables, 'context-a')).compiled.text).toBe('Edited: 100.');
  });

  it('keeps compiled prompts within a byte budget, the least recently used leaving first', async () => {
    const template = { text: '{{ row_limit }} ' + 'y'.repeat(245) };
    // Each compiled text is about 250 characters (500 bytes): a 1,200-byte budget holds two.
    const service = new PromptService(storeWith(template), {
      experiments: [],
      defaultLabel: 'production',
      today: '2025-07-01',
      maxCompiledBytes: 1200,
    });
    const a = await service.resolve(request, variables, 'a');
    const b = await service.resolve(request, variables, 'b');
    expect((await service.resolve(request, variables, 'a')).compiled).toBe(a.compiled);
    await service.resolve(request, variables, 'c');
    // b was the least recently used: it left; a stayed.
    expect((await service.resolve(request, variables, 'a')).compiled).toBe(a.compiled);
    expect((await service.resolve(request, variables, 'b')).compiled).not.toBe(b.compiled);
  });

  it('renders every time without a context key', async () => {
    const service = new PromptService(storeWith({ text: '{{ row_limit }}' }), { experiments: [], defaultLabel: 'production' });
    const first = await service.resolve(request, variables);
    const second = await service.resolve(request, variables);
    expect(second.compiled).not.toBe(first.compiled);
    expect(second.compiled).toEqual(first.compiled);
  });

  it('gives each object its own identity, stable while it lives', () => {
    const one = {};
    const two = {};
    expect(identityOf(one)).toBe(identityOf(one));
    expect(identityOf(one)).not.toBe(identityOf(two));
  });
});
