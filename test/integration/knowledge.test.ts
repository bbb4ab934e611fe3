import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaMeta } from '../../src/datasource/index.ts';
import {
  DatasourceBusyError,
  ExampleNotFoundError,
  InvalidInputError,
  KnowledgeInvalidError,
  SqlRejectedError,
} from '../../src/errors/index.ts';
import {
  checkKnowledge,
  ExampleIndex,
  KnowledgeService,
  parseKnowledge,
  type KnowledgeDatasource,
  type KnowledgeExample,
} from '../../src/knowledge/index.ts';
import { editExamples } from '../../src/knowledge/knowledge-file.ts';
import { createLogger } from '../../src/logging/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { rejectionOf } from '../support/rejection.ts';

const root = path.resolve(import.meta.dirname, '../..');
const committed = (fixture: 'shop' | 'clinic') => path.join(root, 'knowledge', `${fixture}.yaml`);

/** A knowledge error's message, or a failure when `work` does not throw one. */
function knowledgeError(work: () => unknown): KnowledgeInvalidError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeInvalidError);
    return error as KnowledgeInvalidError;
  }
  throw new Error('expected a KnowledgeInvalidError');
}

describe('knowledge files: parse errors name the file, the entry and the field', () => {
  const file = '/srv/knowledge/clinic.yaml';

  it('names an unknown field of a glossary entry', () => {
    const error = knowledgeError(() => parseKnowledge('glossary:\n  - term: ward\n    colum: departments.name\n', file));
    expect(error.message).toContain(file);
    expect(error.message).toContain('glossary[0] "ward": Unrecognized key: "colum"');
    expect(error.details).toMatchObject({ file });
  });

  it('names a missing field of a metric and a malformed field of an example', () => {
    const metric = knowledgeError(() =>
      parseKnowledge(
        'metrics:\n  - name: visits\n    table: appointments\n    expression: COUNT(*)\n  - name: revenue\n    expression: SUM(fee)\n',
        file,
      ),
    );
    expect(metric.message).toMatch(/^\/srv\/knowledge\/clinic\.yaml: metrics\[1\] "revenue": table: /);
    expect(metric.message).not.toContain('metrics[0]');
    const example = knowledgeError(() => parseKnowledge('examples:\n  - id: Bad Id\n    question: How many?\n    sql: SELECT 1\n', file));
    expect(example.message).toContain('examples[0] "Bad Id": id: lower-case letters');
    expect(example.details.problems).toEqual([expect.stringMatching(/^examples\[0\] "Bad Id": id: /)]);
  });

  it('names the line of a file that is not YAML, and repeated example ids', () => {
    const yaml = knowledgeError(() => parseKnowledge('glossary:\n  - term: a\n    table: b\n  - [unclosed\n', file));
    expect(yaml.message).toMatch(/^\/srv\/knowledge\/clinic\.yaml:\d+: not valid YAML: /);
    const twice =
      'examples:\n  - {id: same, question: How many doctors?, sql: SELECT 1}\n  - {id: same, question: How many patients?, sql: SELECT 2}\n';
    expect(knowledgeError(() => parseKnowledge(twice, file)).message).toContain('repeated: same');
  });
});

describe('knowledge checked against the live clinic schema (PGlite)', () => {
  let opened: OpenedTarget;
  let meta: SchemaMeta;
  let dir: string;
  const probe = (sql: string) => opened.datasource.executeReadOnly(sql, { rowCap: 1 }).then((result) => result.rows as unknown[][]);

  beforeAll(async () => {
    opened = await dialectTargets()[0].open('clinic');
    meta = await opened.datasource.introspect({ sampleBudgetMs: 0 });
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-knowledge-'));
  });
  afterAll(async () => {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The clinic datasource as the knowledge sees it, with its file at `file`. */
  const clinicDatasource = (file: string): KnowledgeDatasource => ({
    id: 'clinic',
    config: { knowledge: file },
    executeReadOnly: (sql, options) => opened.datasource.executeReadOnly(sql, options),
  });

  /** A fresh file in the temp folder with `text`, and a service that reads it. */
  async function fileWith(name: string, text: string, now?: () => Date) {
    const file = path.join(dir, `${name}.yaml`);
    await writeFile(file, text);
    const service = new KnowledgeService({ directory: dir, logger: createLogger('silent'), now });
    return { file, service, datasource: clinicDatasource(file) };
  }

  /** Checks knowledge written as YAML lines against the clinic schema. */
  const check = (lines: string[]) => checkKnowledge(parseKnowledge(lines.join('\n'), 'clinic.yaml'), meta, probe);

  it('reports unknown tables and columns with their close matches', async () => {
    const checked = await check([
      'glossary:',
      '  - {term: physician, table: doctor}',
      '  - {term: ward, column: departments.nmae}',
      '  - {term: drug, table: pharmacy}',
      'join_hints:',
      '  - {from: appointments.doctor_id, to: docters.id}',
    ]);
    expect(checked.problems).toEqual([
      'glossary[0] "physician": unknown table "doctor"; close matches: doctors',
      'glossary[1] "ward": unknown column "nmae" of table departments; close matches: name',
      'glossary[2] "drug": unknown table "pharmacy"; no close match',
      'join_hints[0] "appointments.doctor_id": unknown table "docters"; close matches: doctors',
    ]);
    expect(checked.glossary).toEqual([]);
  });

  it('probes a file that fits in one statement per 40 entries, and one by one only when a batch fails', async () => {
    const statements: string[] = [];
    const counting = (sql: string) => {
      statements.push(sql);
      return probe(sql);
    };
    const values = Array.from({ length: 45 }, (_, index) => `  - {term: w${index}, column: patients.sex, value: F}`);
    const fitting = await checkKnowledge(parseKnowledge(['glossary:', ...values].join('\n'), 'clinic.yaml'), meta, counting);
    expect(fitting.problems).toEqual([]);
    expect(fitting.glossary).toHaveLength(45);
    expect(statements).toHaveLength(2);
    statements.length = 0;
    const broken = [...values.slice(0, 3), '  - {term: bad, table: patients, condition: "patients.nope = 1"}'];
    const checked = await checkKnowledge(parseKnowledge(['glossary:', ...broken].join('\n'), 'clinic.yaml'), meta, counting);
    expect(checked.problems).toEqual([expect.stringMatching(/^glossary\[3\] "bad": the condition does not run: .*nope/)]);
    expect(checked.glossary).toHaveLength(3);
    expect(statements).toHaveLength(1 + 4);
  });

  it('reports a value that is not in its column, and SQL with a misspelt column; the entries that fit still load', async () => {
    const checked = await check([
      'glossary:',
      '  - {term: physician, column: doctors.specialty, value: physician}',
      '  - {term: women, column: patients.sex, value: F}',
      '  - {term: new patient, table: patients, condition: "patients.registerd_on >= \'2025-04-02\'"}',
      '  - {term: uninsured, table: patients, condition: patients.insurance_provider IS NULL}',
      'metrics:',
      '  - {name: billed, table: appointments, expression: SUM(appointments.fees)}',
      '  - {name: visits, table: appointments, expression: COUNT(*)}',
      '  - {name: completed visits, table: appointments, expression: COUNT(*), filters: ["appointments.state = \'completed\'"]}',
      'examples:',
      '  - {id: broken, question: How many doctors are there?, sql: SELECT COUNT(*) FROM doctors WHERE salry > 0}',
      '  - {id: doctors, question: How many doctors work here?, sql: SELECT COUNT(*) FROM doctors}',
      '  - {id: unchecked, question: How many wards?, sql: SELECT COUNT(*) FROM wards, status: candidate}',
    ]);
    expect(checked.problems).toHaveLength(5);
    expect(checked.problems[0]).toBe('glossary[0] "physician": the value "physician" of doctors.specialty matches no row');
    expect(checked.problems[1]).toMatch(/^glossary\[2\] "new patient": the condition does not run: .*registerd_on/);
    expect(checked.problems[2]).toMatch(/^metrics\[0\] "billed": the expression does not run: .*fees/);
    expect(checked.problems[3]).toMatch(/^metrics\[2\] "completed visits": the expression does not run: .*state/);
    expect(checked.problems[4]).toMatch(/^examples\[0\] "broken": the SQL does not run: .*salry/);
    expect(checked.glossary.map((entry) => entry.term)).toEqual(['women', 'uninsured']);
    expect(checked.glossary[0].target).toEqual({
      kind: 'value',
      column: { schema: 'public', name: 'patients', column: 'sex' },
      value: 'F',
    });
    expect(checked.metrics.map((metric) => metric.name)).toEqual(['visits']);
    // Candidates are not probed: only verified examples reach the prompt.
    expect(checked.examples.map((example) => example.id)).toEqual(['doctors', 'unchecked']);
  });

  it('hot-reloads: an edit is used once reloadIntervalMs has passed', async () => {
    let clock = Date.parse('2026-01-05T10:00:00Z');
    const entry = (id: string, question: string, sql: string) => `  - id: ${id}\n    question: ${question}\n    sql: "${sql}"\n`;
    const doctors = entry(
      'doctors-per-department',
      'How many doctors work in each department?',
      'SELECT department_id, COUNT(*) FROM doctors GROUP BY department_id',
    );
    const { file, service, datasource } = await fileWith('reload', `examples:\n${doctors}`, () => new Date(clock));
    const question = 'How many patients live in each city?';
    const first = await service.forDatasource(datasource, meta);
    expect(first.checked.problems).toEqual([]);
    expect(first.retrieve('doctors in each department', 3).map((hit) => hit.example.id)).toEqual(['doctors-per-department']);
    expect(first.retrieve(question, 3)).toEqual([]);

    await writeFile(
      file,
      `examples:\n${doctors}${entry('patients-per-city', question, 'SELECT city, COUNT(*) FROM patients GROUP BY city')}`,
    );
    clock += 500;
    expect((await service.forDatasource(datasource, meta)).retrieve(question, 3)).toEqual([]);
    clock += 600;
    const reloaded = (await service.forDatasource(datasource, meta)).retrieve(question, 3);
    expect(reloaded.map((hit) => hit.example.id)).toEqual(['patients-per-city']);
    expect(reloaded[0].similarity).toBeGreaterThan(0.9);
  });

  it('preload parses ahead of the check without ever serving a file that changed since, and never throws', async () => {
    const entry = (id: string, term: string) => `  - term: ${term}\n    table: ${id}\n`;
    const { file, service, datasource } = await fileWith('preloaded', `glossary:\n${entry('doctors', 'physicians')}`);
    await service.preload(datasource);
    // Changed after the preload (a different size, so a different signature): the check reads it again.
    await writeFile(file, `glossary:\n${entry('doctors', 'physicians')}${entry('patients', 'clients')}`);
    const checked = await service.check(datasource, meta);
    expect(checked.glossary.map((term) => term.term)).toEqual(['physicians', 'clients']);
    // Unchanged since: the same parse serves the next check and the example list.
    expect((await service.check(datasource, meta)).glossary).toHaveLength(2);
    expect(await service.listExamples(datasource)).toEqual([]);

    // A file that does not parse: preload stays quiet, the check names the problem, and a fix is read.
    await writeFile(file, 'glossary: [unclosed\n');
    await expect(service.preload(datasource)).resolves.toBeUndefined();
    await expect(
      service.preload({ id: 'elsewhere', config: { knowledge: path.join(dir, 'missing', 'none.yaml') } }),
    ).resolves.toBeUndefined();
    await expect(service.check(datasource, meta)).rejects.toThrow(/not valid YAML/);
    await writeFile(file, `glossary:\n${entry('departments', 'wards')}`);
    expect((await service.check(datasource, meta)).glossary.map((term) => term.term)).toEqual(['wards']);
  });

  it('a database that does not answer fails the check as a whole, after one statement, and is asked again after the interval', async () => {
    let clock = Date.parse('2026-01-05T10:00:00Z');
    const values = Array.from({ length: 45 }, (_, index) => `  - {term: w${index}, column: patients.sex, value: F}`);
    const { service, file } = await fileWith('busy', ['glossary:', ...values].join('\n'), () => new Date(clock));
    let busy = true;
    let statements = 0;
    const datasource: KnowledgeDatasource = {
      ...clinicDatasource(file),
      executeReadOnly: (sql, options) => {
        statements += 1;
        if (busy)
          return Promise.reject(new DatasourceBusyError('Datasource "clinic" is busy.', { datasource: 'clinic', retryAfterSeconds: 1 }));
        return opened.datasource.executeReadOnly(sql, options);
      },
    };
    const first = await service.forDatasource(datasource, meta);
    // Not 45 probes one by one (each would wait for a session), and no entry blamed for the database.
    expect(statements).toBe(1);
    expect(first.checked.glossary).toEqual([]);
    expect(first.checked.problems).toEqual([]);
    busy = false;
    clock += 1100;
    const second = await service.forDatasource(datasource, meta);
    expect(second.checked.glossary).toHaveLength(45);
    expect(second.checked.problems).toEqual([]);
  });

  it('retrieves the verified example closest to the question first, and never a candidate or a rejected one', async () => {
    const example = (id: string, question: string, status: KnowledgeExample['status'] = 'verified'): KnowledgeExample => ({
      id,
      question,
      sql: 'SELECT 1',
      status,
    });
    const index = new ExampleIndex([
      example('salary', 'What is the average salary of doctors hired after 2020?'),
      example('per-department', 'How many doctors work in each department?'),
      example('busiest', 'Which department has the most appointments?'),
    ]);
    const hits = index.search('number of doctors in each department', 3);
    expect(hits[0].example.id).toBe('per-department');
    for (const other of hits.slice(1)) expect(hits[0].similarity).toBeGreaterThan(other.similarity);
    expect(index.search('prescriptions of amoxicillin', 3)).toEqual([]);
    // A question sharing one word of an example's several is not close to it, however rare that word is; the
    // numbers of an example are the slots a reuse fills, so they need not be shared.
    expect(index.search('How many doctors are there?', 3)).toEqual([]);
    expect(index.search('What is the average salary of doctors hired after 2015?', 3).map((hit) => hit.example.id)).toEqual(['salary']);

    const { service, datasource } = await fileWith(
      'retrieval',
      [
        'examples:',
        '  - {id: exact-candidate, question: How many doctors work in each department?, sql: SELECT 1, status: candidate}',
        '  - {id: exact-rejected, question: How many doctors work in each department?, sql: SELECT 2, status: rejected}',
        '  - {id: verified, question: How many doctors are in the cardiology department?, sql: SELECT COUNT(*) FROM doctors}',
      ].join('\n'),
    );
    const retrieved = (await service.forDatasource(datasource, meta)).retrieve('How many doctors work in each department?', 5);
    expect(retrieved.map((hit) => hit.example.id)).toEqual(['verified']);
  });

  it('editExamples keeps every comment and the layout of the rest of the file', async () => {
    const text = [
      '# The clinic: what the staff mean by their words.',
      'glossary:',
      '  # Doctors are called physicians here.',
      '  - term: physician',
      '    synonyms: [physicians, medic, "doc"]',
      '    table: doctors # the table',
      '',
      'examples:',
      '  # Vouched for by the founding team.',
      '  - id: doctors',
      '    question: How many doctors work here?',
      '    sql: SELECT COUNT(*) FROM doctors',
      '',
    ].join('\n');
    const file = path.join(dir, 'comments.yaml');
    await writeFile(file, text);
    await editExamples(file, (examples) => {
      examples.set('doctors', { status: 'verified', verified_by: 'ana' });
      examples.add({
        id: 'patients',
        question: 'How many patients are registered?',
        sql: 'SELECT COUNT(*) FROM patients',
        status: 'candidate',
      });
    });
    const edited = await readFile(file, 'utf8');
    for (const line of text.split('\n').filter((candidate) => candidate.includes('#'))) expect(edited).toContain(line);
    expect(edited.startsWith(text.split('examples:')[0])).toBe(true);
    expect(parseKnowledge(edited, file).examples).toEqual([
      {
        id: 'doctors',
        question: 'How many doctors work here?',
        sql: 'SELECT COUNT(*) FROM doctors',
        status: 'verified',
        verified_by: 'ana',
      },
      { id: 'patients', question: 'How many patients are registered?', sql: 'SELECT COUNT(*) FROM patients', status: 'candidate' },
    ]);

    // An edit that would break the file is refused, and the file stays as it was.
    await expect(editExamples(file, (examples) => examples.add({ ...parseKnowledge(edited, file).examples[0] }))).rejects.toThrow(
      /repeated: doctors/,
    );
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('adds, approves and rejects examples, and the library is used at once', async () => {
    const { file, service, datasource } = await fileWith(
      'library',
      '# kept\nexamples:\n  - {id: doctors, question: How many doctors work here?, sql: SELECT COUNT(*) FROM doctors}\n',
      () => new Date('2026-02-03T04:05:06Z'),
    );
    const question = 'How many patients live in Boston?';
    const added = await service.addExample(datasource, {
      question: `  ${question} `,
      sql: "SELECT COUNT(*) AS patients FROM patients WHERE city = 'Boston';",
      status: 'candidate',
      source: 'feedback:0af7651916cd43dd8448eb211c80319c',
    });
    expect(added).toEqual({
      id: 'how-many-patients-live-in-boston',
      question,
      sql: "SELECT COUNT(*) AS patients FROM patients WHERE city = 'Boston'",
      status: 'candidate',
      source: 'feedback:0af7651916cd43dd8448eb211c80319c',
    });
    expect((await service.listExamples(datasource, 'candidate')).map((example) => example.id)).toEqual([added.id]);
    expect((await service.forDatasource(datasource, meta)).retrieve(question, 3)).toEqual([]);

    const approved = await service.setStatus(datasource, added.id, 'verified', 'ana');
    expect(approved).toMatchObject({ id: added.id, status: 'verified', verified_by: 'ana', verified_at: '2026-02-03T04:05:06.000Z' });
    expect(await service.listExamples(datasource, 'candidate')).toEqual([]);
    expect((await service.listExamples(datasource, 'verified')).map((example) => example.id)).toEqual(['doctors', added.id]);
    // The edit drops the cached knowledge: the approved example is retrieved on the next question.
    expect((await service.forDatasource(datasource, meta)).retrieve(question, 3).map((hit) => hit.example.id)).toEqual([added.id]);

    const rejected = await service.setStatus(datasource, added.id, 'rejected', 'bo');
    expect(rejected).toMatchObject({ status: 'rejected', verified_by: 'bo' });
    expect((await service.forDatasource(datasource, meta)).retrieve(question, 3)).toEqual([]);

    const verified = await service.addExample(datasource, {
      question: 'How many doctors does each department have?',
      sql: 'SELECT department_id, COUNT(*) FROM doctors GROUP BY department_id',
      status: 'verified',
      by: 'cy',
    });
    expect(verified).toMatchObject({ status: 'verified', verified_by: 'cy', verified_at: '2026-02-03T04:05:06.000Z' });

    const duplicate = await rejectionOf(
      service.addExample(datasource, { question: 'how many doctors work here', sql: 'SELECT 1', status: 'candidate' }),
    );
    expect(duplicate).toBeInstanceOf(InvalidInputError);
    expect(duplicate.message).toContain('example "doctors" (verified)');

    const missing = await rejectionOf(service.setStatus(datasource, 'no-such-example', 'verified', 'ana'));
    expect(missing).toBeInstanceOf(ExampleNotFoundError);
    expect(missing.message).toContain('"no-such-example"');
    expect(await readFile(file, 'utf8')).toMatch(/^# kept\n/);
  });

  it('refuses an example whose SQL writes or returns no rows, and leaves the file as it was', async () => {
    const { file, service, datasource } = await fileWith('refusals', 'examples: []\n');
    const before = await readFile(file, 'utf8');
    const writes = await rejectionOf(
      service.addExample(datasource, { question: 'Remove every doctor', sql: 'DELETE FROM doctors', status: 'verified' }),
    );
    expect(writes).toBeInstanceOf(SqlRejectedError);
    expect(writes.code).toBe('sql_rejected');
    const empty = await rejectionOf(
      service.addExample(datasource, {
        question: 'Doctors with a negative id',
        sql: 'SELECT * FROM doctors WHERE id < 0',
        status: 'verified',
      }),
    );
    expect(empty).toBeInstanceOf(InvalidInputError);
    expect(empty).toMatchObject({ details: { field: 'sql' }, message: expect.stringMatching(/returned no rows/) });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await service.listExamples(datasource)).toEqual([]);
  });
});

describe.each(dialectTargets())('the committed knowledge files on $name', (target) => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-knowledge-committed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.skipIf(target.skipReason !== null)('load with every entry fitting the live schema, and refuse SQL that writes', async () => {
    const service = new KnowledgeService({ directory: path.join(root, 'knowledge'), logger: createLogger('silent') });
    for (const fixture of ['shop', 'clinic'] as const) {
      const opened = await target.open(fixture);
      try {
        const datasource = (config: KnowledgeDatasource['config']): KnowledgeDatasource => ({
          id: fixture,
          config,
          executeReadOnly: (sql, options) => opened.datasource.executeReadOnly(sql, options),
        });
        expect(await service.fileFor(datasource({}))).toBe(committed(fixture));
        const meta = await opened.datasource.introspect({ sampleBudgetMs: 0 });
        const checked = await service.check(datasource({}), meta);
        expect(checked.problems, `${fixture} on ${target.name}`).toEqual([]);
        const file = parseKnowledge(await readFile(committed(fixture), 'utf8'), committed(fixture));
        expect(checked.glossary).toHaveLength(file.glossary.length);
        expect(checked.metrics).toHaveLength(file.metrics.length);
        expect(checked.joinHints).toHaveLength(file.join_hints.length);
        expect(checked.examples).toHaveLength(file.examples.length);
        expect(file.glossary.length + file.metrics.length).toBeGreaterThan(10);

        // Writes go to a copy: the committed file is only read.
        const copy = path.join(dir, `${target.name}-${fixture}.yaml`);
        await writeFile(copy, await readFile(committed(fixture)));
        const writes = await rejectionOf(
          service.addExample(datasource({ knowledge: copy }), {
            question: 'Empty the first table',
            sql: `DELETE FROM ${meta.schemas[0].tables[0].name}`,
            status: 'verified',
          }),
        );
        expect(writes.code).toBe('sql_rejected');
        expect(await readFile(copy, 'utf8')).toBe(await readFile(committed(fixture), 'utf8'));
      } finally {
        await opened.close();
      }
    }
  });
});
