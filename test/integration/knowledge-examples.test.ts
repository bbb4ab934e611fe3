import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKnowledge } from '../../src/knowledge/index.ts';
import { dialectTargets, type TargetName } from '../support/dialects.ts';
import { normalize } from '../support/result-match.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = ['shop', 'clinic'] as const;
/** The most rows an example may return: it is shown to the model as a whole. */
const maximumRows = 100;

/** The SQL with every parenthesized part (subqueries, window clauses, function arguments) removed. */
function outermost(sql: string): string {
  let depth = 0;
  let text = '';
  for (const character of sql) {
    if (character === '(') depth += 1;
    if (depth === 0) text += character;
    if (character === ')') depth -= 1;
  }
  return text;
}

/** Rows as compared between engines: values normalized; sorted unless the outermost query orders them. */
function comparable(sql: string, rows: unknown[][]): string[] {
  const keys = rows.map((row) => row.map(normalize).join(' | '));
  return /\bORDER\s+BY\b/i.test(outermost(sql)) ? keys : keys.sort();
}

/**
 * Every verified example of the committed knowledge files runs through the guard on every engine, returns
 * 1 to 100 rows, and gives the same rows everywhere (in the same order when it says ORDER BY): an example
 * is SQL the model copies, so one that fails, returns nothing or differs by dialect teaches it wrong.
 */
describe.each(fixtures)('the verified examples of knowledge/%s.yaml', (fixture) => {
  it('are many and asked in different words', async () => {
    const file = path.join(root, 'knowledge', `${fixture}.yaml`);
    const examples = parseKnowledge(await readFile(file, 'utf8'), file).examples.filter((example) => example.status === 'verified');
    expect(examples.length).toBeGreaterThanOrEqual(40);
    const questions = examples.map((example) => example.question.toLowerCase().replace(/\W+/g, ' ').trim());
    expect(new Set(questions).size).toBe(questions.length);
    for (const example of examples) {
      expect(example.question, example.id).not.toContain('\n');
      expect(example.verified_by, example.id).toBeTruthy();
      expect(example.verified_at, example.id).toMatch(/^\d{4}-\d{2}-\d{2}/);
    }
  });

  it('run through the guard on every engine, return 1 to 100 rows, and agree', { timeout: 180_000 }, async () => {
    const file = path.join(root, 'knowledge', `${fixture}.yaml`);
    const examples = parseKnowledge(await readFile(file, 'utf8'), file).examples.filter((example) => example.status === 'verified');
    const problems: string[] = [];
    const rowsByEngine = new Map<TargetName, Map<string, string[]>>();
    const targets = dialectTargets().filter((target) => target.skipReason === null);
    for (const target of targets) {
      const opened = await target.open(fixture);
      const rows = new Map<string, string[]>();
      try {
        for (const example of examples) {
          try {
            const result = await opened.datasource.executeReadOnly(example.sql, { rowCap: maximumRows });
            if (result.truncated) problems.push(`${example.id} on ${target.name}: more than ${maximumRows} rows`);
            else if (result.rows.length === 0) problems.push(`${example.id} on ${target.name}: no rows`);
            rows.set(example.id, comparable(example.sql, result.rows));
          } catch (error) {
            problems.push(`${example.id} on ${target.name}: ${(error as Error).message}`);
          }
        }
      } finally {
        await opened.close();
      }
      rowsByEngine.set(target.name, rows);
    }
    const [first, ...others] = targets.map((target) => target.name);
    for (const example of examples) {
      const expected = rowsByEngine.get(first)?.get(example.id);
      for (const other of others) {
        const actual = rowsByEngine.get(other)?.get(example.id);
        if (expected && actual && JSON.stringify(actual) !== JSON.stringify(expected))
          problems.push(
            `${example.id}: ${other} gives ${JSON.stringify(actual.slice(0, 3))}…, ${first} ${JSON.stringify(expected.slice(0, 3))}…`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});
