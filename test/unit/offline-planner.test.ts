import { describe, expect, it } from 'vitest';
import type { MetadataHit, TableDescription } from '../../src/agent/index.ts';
import { findDateRange, type DateRange } from '../../src/llm/offline/date-range.ts';
import { planQuery, type PlanOutcome } from '../../src/llm/offline/query-planner.ts';
import { readQuestionShape } from '../../src/llm/offline/question-shape.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { SchemaCatalogue } from '../../src/llm/offline/schema-catalogue.ts';
import { writeSql } from '../../src/llm/offline/sql-writer.ts';

// The offline planner on a small schema of its own (a lending library), not a fixture and not an eval
// question: what it reads from a question, which table it asks to see, and the SQL it writes.

type Column = TableDescription['columns'][number];
const column = (name: string, family: Column['family'], extra: Partial<Column> = {}): Column => ({
  name,
  type: family,
  family,
  nullable: false,
  primaryKey: name === 'id',
  ...extra,
});
const table = (name: string, comment: string, columns: Column[]): TableDescription => ({
  name: `public.${name}`,
  kind: 'table',
  comment,
  rowEstimate: 100,
  primaryKey: ['id'],
  columns,
  referencedBy: [],
});

const library: TableDescription[] = [
  table('authors', 'Writers of the books', [
    column('id', 'integer'),
    column('name', 'text'),
    column('country', 'text', { sampleValues: ['Ireland', 'Chile', 'Japan'] }),
  ]),
  table('books', 'Books in the catalogue', [
    column('id', 'integer'),
    column('title', 'text'),
    column('author_id', 'integer', { references: 'public.authors(id)' }),
    column('price', 'decimal'),
    column('published_on', 'date'),
  ]),
  table('loans', 'Each time a book was lent', [
    column('id', 'integer'),
    column('book_id', 'integer', { references: 'public.books(id)' }),
    column('loaned_at', 'timestamp'),
    column('returned', 'boolean'),
  ]),
];

const byName = (table: string, column?: string): MetadataHit => ({
  kind: column ? 'column' : 'table',
  schema: 'public',
  table,
  column,
  score: 1,
  reasons: [`name matches "${column ?? table}"`],
});
const byValue = (table: string, column: string, value: string): MetadataHit => ({
  kind: 'column',
  schema: 'public',
  table,
  column,
  score: 1,
  reasons: [`sample value "${value}"`],
});

/** What the offline model does after its search: reads the question, then plans against the tables shown. */
function plan(question: string, hits: MetadataHit[], shown: TableDescription[] = library, showsLeft = 1): PlanOutcome {
  const words = wordsOf(question);
  const date = findDateRange(words, '2026-06-15');
  const shape = readQuestionShape(words, new Set(date?.wordIndices ?? []));
  if (!shape) throw new Error(`no shape for "${question}"`);
  const catalogue = new SchemaCatalogue(shown);
  return planQuery({
    words,
    shape,
    dateRange: (date as DateRange | null) ?? null,
    catalogue,
    hits,
    requested: shown.map((description) => description.name),
    showsLeft,
    rowLimit: null,
    revision: 0,
  });
}

/** The SQL of a planned question, for one dialect. */
function sqlOf(question: string, hits: MetadataHit[], dialect: 'postgres' | 'mysql' = 'postgres'): string {
  const outcome = plan(question, hits);
  if (outcome.kind !== 'plan') throw new Error(`"${question}" was not planned: ${JSON.stringify(outcome)}`);
  return writeSql(outcome.plan, new SchemaCatalogue(library), dialect);
}

describe('the offline planner', () => {
  it('counts the rows of the table a question names', () => {
    expect(sqlOf('How many authors are there?', [byName('authors')])).toBe('SELECT COUNT(*) AS authors_count FROM authors');
  });

  it('groups and sums along a foreign key', () => {
    expect(sqlOf('What is the total price of books per author country?', [byName('books'), byName('authors')])).toBe(
      'SELECT a.country, SUM(b.price) AS total_price FROM books b JOIN authors a ON b.author_id = a.id GROUP BY a.country ORDER BY total_price DESC, a.country',
    );
  });

  it('turns a year into a half-open date range on the date column', () => {
    expect(sqlOf('How many loans were made in 2024?', [byName('loans')])).toBe(
      "SELECT COUNT(*) AS loans_count FROM loans WHERE loaned_at >= '2024-01-01' AND loaned_at < '2025-01-01'",
    );
  });

  it('ranks a top N by a count, keeping equal names apart by the key', () => {
    expect(sqlOf('Which 3 authors have the most books?', [byName('authors'), byName('books')])).toBe(
      'SELECT a.name, COUNT(*) AS books FROM books b JOIN authors a ON b.author_id = a.id GROUP BY a.id, a.name ORDER BY books DESC, a.name LIMIT 3',
    );
  });

  it('reads "written by authors from Chile" as a filter through the join, not a grouping by author', () => {
    expect(sqlOf('How many books were written by authors from Chile?', [byName('books'), byValue('authors', 'country', 'Chile')])).toBe(
      "SELECT COUNT(*) AS books_count FROM books b JOIN authors a ON b.author_id = a.id WHERE a.country = 'Chile'",
    );
  });

  it('groups on "by each …"', () => {
    const outcome = plan('How many loans were made by each author?', [byName('loans'), byName('authors')]);
    expect(outcome).toMatchObject({ kind: 'plan', plan: { kind: 'grouped', dimensions: [{ table: 'public.authors', column: 'name' }] } });
  });

  it('asks to see a linked table before planning on it, and declines when it has no look left', () => {
    expect(plan('How many loans were made in 2024?', [byName('loans')], [], 1)).toEqual({ kind: 'show', table: 'public.loans' });
    expect(plan('How many loans were made in 2024?', [byName('loans')], [], 0)).toMatchObject({ kind: 'cannot' });
  });

  it('declines a question no word of which names the schema', () => {
    expect(plan('How many unicorns live on the moon?', [])).toEqual({
      kind: 'cannot',
      reason: 'No word of the question names a table, column or value of this database.',
    });
  });
});

describe("reading the question's grouping", () => {
  const groupOf = (question: string) => {
    const words = wordsOf(question);
    const group = readQuestionShape(words, new Set())?.group;
    return group
      ? words
          .slice(...group)
          .map((word) => word.text)
          .join(' ')
      : null;
  };

  it.each([
    ['What is the total revenue earned by region?', 'region'],
    ['How many loans were made by each author?', 'author'],
    ['Count of loans grouped by author', 'author'],
    ['Average price of books sorted by country', 'country'],
    ['How many books per country?', 'country'],
    ['How many books were written by authors from Chile?', null],
    ['How many books were written by Tolkien?', null],
    ['How many orders were placed by the customer Ada?', null],
  ])('%s → %s', (question, group) => {
    expect(groupOf(question)).toBe(group);
  });
});
