import { describe, expect, it } from 'vitest';
import { computeSchemaVersion, type SchemaInfo } from '../../src/datasource/index.ts';

const column = (name: string, dataType = 'integer') => ({
  name,
  dataType,
  typeFamily: 'integer' as const,
  nullable: false,
  isPrimaryKey: name === 'id',
  references: null,
  comment: null,
});
const schemas = (): SchemaInfo[] => [
  {
    name: 'public',
    tables: [
      {
        schema: 'public',
        name: 'a',
        kind: 'table',
        comment: null,
        rowEstimate: 10,
        primaryKey: ['id'],
        foreignKeys: [],
        columns: [column('id'), column('x')],
      },
      {
        schema: 'public',
        name: 'b',
        kind: 'table',
        comment: 'B',
        rowEstimate: 5,
        primaryKey: ['id'],
        foreignKeys: [],
        columns: [column('id')],
      },
    ],
  },
];

describe('computeSchemaVersion', () => {
  it('ignores catalog order, row estimates and samples', () => {
    const base = computeSchemaVersion(schemas());
    const shuffled = schemas();
    shuffled[0].tables.reverse();
    shuffled[0].tables[1].columns.reverse();
    shuffled[0].tables[0].rowEstimate = 999;
    shuffled[0].tables[1].columns[0].sampleValues = ['q'];
    expect(computeSchemaVersion(shuffled)).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['a column is added', (value: SchemaInfo[]) => value[0].tables[0].columns.push(column('y'))],
    ['a type changes', (value: SchemaInfo[]) => (value[0].tables[0].columns[1].dataType = 'bigint')],
    ['nullability changes', (value: SchemaInfo[]) => (value[0].tables[0].columns[1].nullable = true)],
    ['a comment changes', (value: SchemaInfo[]) => (value[0].tables[1].comment = 'B2')],
    [
      'a key is added',
      (value: SchemaInfo[]) =>
        value[0].tables[0].foreignKeys.push({ columns: ['x'], references: { schema: 'public', table: 'b', columns: ['id'] } }),
    ],
    ['a table is dropped', (value: SchemaInfo[]) => value[0].tables.pop()],
  ])('changes when %s', (_, mutate) => {
    const changed = schemas();
    mutate(changed);
    expect(computeSchemaVersion(changed)).not.toBe(computeSchemaVersion(schemas()));
  });
});
