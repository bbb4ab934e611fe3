import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionTables } from '../../src/agent/index.ts';
import type { ColumnMeta, SchemaMeta, TableMeta } from '../../src/datasource/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';

const column = (name: string, references: ColumnMeta['references'] = null): ColumnMeta => ({
  name,
  dataType: name.endsWith('_on') ? 'date' : 'text',
  typeFamily: name.endsWith('_on') ? 'date' : 'text',
  nullable: true,
  isPrimaryKey: name === 'id',
  references,
  comment: null,
});

/** `size` tables like the benchmarks' generated ones: t0001…, each with a key to the one before. */
function generatedMeta(size: number): SchemaMeta {
  const tables: TableMeta[] = [];
  for (let index = 1; index <= size; index += 1) {
    const name = `t${String(index).padStart(4, '0')}`;
    const parent = index > 1 ? `t${String(index - 1).padStart(4, '0')}` : null;
    tables.push({
      schema: 'public',
      name,
      kind: 'table',
      comment: `generated table ${index}`,
      rowEstimate: 5,
      primaryKey: ['id'],
      foreignKeys: parent ? [{ columns: ['parent_id'], references: { schema: 'public', table: parent, columns: ['id'] } }] : [],
      columns: [
        column('id'),
        column('parent_id', parent ? { schema: 'public', table: parent, column: 'id' } : null),
        ...['name', 'status', 'region', 'amount', 'quantity', 'created_on', 'active', 'note'].map((name) => column(name)),
      ],
    });
  }
  return {
    datasource: 'generated',
    dialect: 'postgres',
    engine: 'postgres',
    serverVersion: '16',
    schemaVersion: `generated-${size}`,
    introspectedAt: '2025-01-01T00:00:00.000Z',
    schemas: [{ name: 'public', tables }],
  };
}

const listedNames = (tables: ReturnType<typeof questionTables>) =>
  tables.schemas.flatMap((schema) => schema.tables.map((table) => table.name));

describe('the tables a prompt lists for a question (issue 17: a prompt of constant size)', () => {
  it('lists every table while the whole listing fits the budget, the same for every question', () => {
    const meta = generatedMeta(10);
    const tables = questionTables(meta, 'How many t0003 are open?');
    expect(tables).toMatchObject({ shown: 10, total: 10, omitted: 0, key: 'all' });
    expect(listedNames(tables)).toEqual(meta.schemas[0].tables.map((table) => table.name));
    expect(questionTables(meta, 'anything else').key).toBe('all');
  });

  it('beyond the budget, lists the tables the question names and their foreign-key neighbours first', () => {
    const meta = generatedMeta(1000);
    const tables = questionTables(meta, 'What is the total amount of t0642 in the north region?', 700);
    expect(tables.total).toBe(1000);
    expect(tables.shown).toBeLessThan(100);
    expect(tables.omitted).toBe(1000 - tables.shown);
    const names = listedNames(tables);
    expect(names).toContain('t0642');
    // It references t0641; t0643 references it.
    expect(names).toContain('t0641');
    expect(names).toContain('t0643');
    // Listed in the schema's order, whatever the ranking.
    expect(names).toEqual([...names].sort());
    // Another question lists other tables, under another key.
    const other = questionTables(meta, 'How many t0007 are closed?', 700);
    expect(listedNames(other)).toContain('t0007');
    expect(other.key).not.toBe(tables.key);
    expect(questionTables(meta, 'How many t0007 are closed?', 700).key).toBe(other.key);
  });

  it('keeps agent/db_agent v5 under 1,500 tokens at 3,000 tables, where v4 lists them all; at 10 tables v5 is v4 word for word', async () => {
    const service = new PromptService(new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') }), {
      experiments: [],
      defaultLabel: 'production',
      today: '2025-07-01',
    });
    const compile = async (meta: SchemaMeta, version: number, question: string) =>
      service.compile(await service.store.get('agent/db_agent', { version }), {
        meta,
        dialect: 'postgres',
        row_limit: 100,
        question_tables: questionTables(meta, question),
      });
    const large = generatedMeta(3000);
    const lean = await compile(large, 5, 'How many t2500 are pending?');
    expect(lean.tokenCount).toBeLessThan(1500);
    expect(lean.text).toMatch(/the \d+ of 3000 closest to this question \(search_metadata finds the other \d+\)/);
    expect(lean.text).toContain('t2500(id,parent_id,name,status,region,amount,quantity,created_on,active,note)');
    expect((await compile(large, 4, 'How many t2500 are pending?')).tokenCount).toBeGreaterThan(30_000);

    const small = generatedMeta(10);
    expect((await compile(small, 5, 'How many t0002 are open?')).text).toBe((await compile(small, 4, 'How many t0002 are open?')).text);
  });
});
