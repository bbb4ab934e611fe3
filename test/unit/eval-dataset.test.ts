import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalDatasetError } from '../../src/errors/index.ts';
import { loadDatasetFile, loadDatasets, PredictionsTarget, selectCases } from '../../src/evals/index.ts';

describe('loading eval datasets', () => {
  let dir: string;
  const write = async (name: string, text: string) => {
    await writeFile(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const failure = async (name: string, text: string) => {
    const error = await loadDatasetFile(await write(name, text)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EvalDatasetError);
    return (error as EvalDatasetError).message;
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-dataset-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads YAML (a list, or an object with cases) and JSONL into cases with the gold per dialect', async () => {
    const yaml = await loadDatasetFile(
      await write(
        'a.yaml',
        [
          'description: two cases',
          'cases:',
          "  - { id: a-1, datasource: shop, question: 'How many?', sql: 'SELECT 1 ORDER BY 1', difficulty: simple, tags: [count], today: 2025-03-15 }",
          "  - { id: a-2, datasource: shop, question: 'Which?', sql_postgres: 'SELECT 1', sql_mysql: 'SELECT 2', difficulty: hard, order_matters: false, expect_empty: true }",
        ].join('\n'),
      ),
    );
    expect(yaml.name).toBe('a');
    expect(yaml.description).toBe('two cases');
    expect(yaml.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(yaml.cases).toEqual([
      {
        id: 'a-1',
        dataset: 'a',
        datasource: 'shop',
        question: 'How many?',
        gold: { postgres: 'SELECT 1 ORDER BY 1', mysql: 'SELECT 1 ORDER BY 1' },
        difficulty: 'simple',
        tags: ['count'],
        orderMatters: null,
        today: '2025-03-15',
        expectEmpty: false,
      },
      {
        id: 'a-2',
        dataset: 'a',
        datasource: 'shop',
        question: 'Which?',
        gold: { postgres: 'SELECT 1', mysql: 'SELECT 2' },
        difficulty: 'hard',
        tags: [],
        orderMatters: false,
        today: null,
        expectEmpty: true,
      },
    ]);
    const jsonl = await loadDatasetFile(
      await write(
        'b.jsonl',
        `${JSON.stringify({ id: 'b-1', datasource: 'clinic', question: 'Q', sql: 'SELECT 1', difficulty: 'medium' })}\n\n`,
      ),
    );
    expect(jsonl.cases.map((evalCase) => evalCase.id)).toEqual(['b-1']);
  });

  it('refuses a malformed file naming the file, the case and the field', async () => {
    expect(await failure('c.yaml', "- { id: c-1, datasource: shop, question: 'Q', difficulty: simple }")).toMatch(
      /c\.yaml: case 1 \(id c-1\): sql: give the gold SQL as `sql`, or as both `sql_postgres` and `sql_mysql`/,
    );
    expect(await failure('d.yaml', "- { id: d-1, datasource: shop, question: 'Q', sql: 'SELECT 1', difficulty: easy }")).toMatch(
      /d\.yaml: case 1 \(id d-1\): difficulty: /,
    );
    expect(
      await failure('e.yaml', "- { id: e-1, datasource: shop, question: 'Q', sql: 'SELECT 1', difficulty: simple, gold: 'x' }"),
    ).toMatch(/e\.yaml: case 1 \(id e-1\): case: Unrecognized key/);
    expect(
      await failure(
        'f.yaml',
        "- { id: f-1, datasource: shop, question: 'Q', sql: 'SELECT 1', difficulty: simple }\n- { id: f-1, datasource: shop, question: 'R', sql: 'SELECT 2', difficulty: simple }",
      ),
    ).toMatch(/f\.yaml: case 2 \(id f-1\): the id f-1 is already used by case 1/);
    expect(await failure('g.yaml', 'cases: [ {id: g-1')).toMatch(/g\.yaml: not valid YAML at line 1/);
    expect(await failure('h.yaml', 'just text')).toMatch(/h\.yaml: expected a list of cases, or an object with "description" and "cases"/);
    expect(await failure('i.jsonl', '{"id": "i-1"}\n{oops')).toMatch(/i\.jsonl: line 2: not valid JSON/);
    expect(await failure('j.yaml', '[]')).toMatch(/j\.yaml: the dataset has no cases/);
    expect(await failure('k.yaml', "- { id: 'k 1', datasource: shop, question: 'Q', sql: 'SELECT 1', difficulty: simple }")).toMatch(
      /k\.yaml: case 1 \(id k 1\): id: use letters, digits/,
    );
    expect(await failure('l.yaml', "- { id: l-1, datasource: shop, question: '  ', sql: 'SELECT 1', difficulty: simple }")).toMatch(
      /question: the question is empty/,
    );
    expect(
      await failure('m.yaml', "- { id: m-1, datasource: shop, question: Q, sql: 'SELECT 1', difficulty: simple, today: 'next week' }"),
    ).toMatch(/today: use YYYY-MM-DD/);
    await expect(loadDatasetFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read the dataset \(ENOENT\)/);
  });

  it('finds datasets by name, refuses a name given twice, and selects cases by tag and limit per dataset', async () => {
    await write(
      'shop-mini.yaml',
      ['a', 'b', 'c']
        .map(
          (id, index) =>
            `- { id: s-${id}, datasource: shop, question: 'Q${id}', sql: 'SELECT ${index}', difficulty: simple, tags: [${index === 1 ? 'x' : 'y'}] }`,
        )
        .join('\n'),
    );
    await write('clinic-mini.yaml', "- { id: c-a, datasource: clinic, question: 'Qa', sql: 'SELECT 1', difficulty: simple, tags: [y] }");
    const datasets = await loadDatasets(['shop-mini', 'clinic-mini'], dir);
    expect(selectCases(datasets, { tags: [], limit: 2 }).map((evalCase) => evalCase.id)).toEqual(['s-a', 's-b', 'c-a']);
    expect(selectCases(datasets, { tags: ['y'], limit: null }).map((evalCase) => evalCase.id)).toEqual(['s-a', 's-c', 'c-a']);
    await expect(loadDatasets(['shop-mini', path.join(dir, 'shop-mini.yaml')], dir)).rejects.toThrow(
      /The dataset "shop-mini" was given twice/,
    );
    await expect(loadDatasets(['zoo'], dir)).rejects.toThrow(/No dataset "zoo" in .* \(there are: .*shop-mini/);
  });

  it('matches predictions by <dataset>/<id>, or by a bare id only when no two datasets share it', async () => {
    const one = await loadDatasetFile(
      await write(
        'one.yaml',
        "- { id: x-1, datasource: shop, question: Q, sql: 'SELECT 1', difficulty: simple }\n- { id: only-here, datasource: shop, question: R, sql: 'SELECT 1', difficulty: simple }",
      ),
    );
    const two = await loadDatasetFile(
      await write('two.yaml', "- { id: x-1, datasource: clinic, question: Q, sql: 'SELECT 1', difficulty: simple }"),
    );
    const cases = [...one.cases, ...two.cases];
    const file = await write(
      'predictions.jsonl',
      [
        '{"id": "x-1", "sql": "SELECT 2"}',
        '{"id": "two/x-1", "sql": "SELECT 3"}',
        '{"id": "only-here", "sql": "SELECT 4"}',
        '{"id": "nowhere", "sql": "SELECT 5"}',
      ].join('\n'),
    );
    const target = await PredictionsTarget.load(file, cases);
    expect(await target.answer(cases[0])).toMatchObject({
      status: 'error',
      errorCode: 'ambiguous_prediction',
      message: expect.stringMatching(/write it as one\/x-1/),
    });
    expect(await target.answer(cases[1])).toMatchObject({ status: 'answered', sql: 'SELECT 4' });
    expect(await target.answer(cases[2])).toMatchObject({ status: 'answered', sql: 'SELECT 3' });
    expect(target.unmatchedIds()).toEqual(['nowhere']);
    await expect(PredictionsTarget.load(await write('bad.jsonl', '{"sql": "SELECT 1"}'), cases)).rejects.toThrow(
      /bad\.jsonl: line 1: expected \{"id"/,
    );
  });
});
