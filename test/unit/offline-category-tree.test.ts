import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../src/agent/index.ts';
import { readPromptFacts } from '../../src/llm/offline/prompt-facts.ts';
import { column, sqlOn, table } from '../support/offline-tables.ts';

// A value of a table that is a tree (each row may point at a parent of its own table) filters the rows of another
// table as the value's row and its children: "books in Fiction" are those of Fiction and of its subgenres. On a
// bookshop of its own (no fixture, no eval question); a count of a root genre once answered 0.

const bookshop: TableDescription[] = [
  table('genres', 'Genres; a subgenre points at its parent', [
    column('id', 'integer'),
    column('name', 'text', { sampleValues: ['Fiction', 'Crime', 'Poetry'] }),
    column('parent_id', 'integer', { nullable: true, references: 'public.genres(id)' }),
  ]),
  table('books', 'Books for sale', [
    column('id', 'integer'),
    column('title', 'text'),
    column('genre_id', 'integer', { references: 'public.genres(id)' }),
    column('price', 'decimal', { comment: 'List price in dollars.' }),
  ]),
];

const withChildren = (value: string) =>
  `(g.name = '${value}' OR (g.parent_id IS NOT NULL AND g.parent_id IN (SELECT id FROM genres WHERE name = '${value}')))`;

describe('a value of a tree table', () => {
  it('filters the rows of another table by the named row and its children, on both dialects', () => {
    for (const dialect of ['postgres', 'mysql'] as const)
      expect(sqlOn(bookshop, 'How many books are in the Fiction genre?', { dialect })).toBe(
        `SELECT COUNT(*) AS books_count FROM books b JOIN genres g ON b.genre_id = g.id WHERE ${withChildren('Fiction')}`,
      );
    expect(sqlOn(bookshop, 'What is the average price of Crime books?', { unrounded: true })).toContain(`WHERE ${withChildren('Crime')}`);
    expect(sqlOn(bookshop, 'How many books are not in the Fiction genre?')).toContain(`WHERE NOT ${withChildren('Fiction')}`);
  });

  it("leaves the tree's own rows compared as they are", () => {
    expect(sqlOn(bookshop, 'Which genres are named Fiction?')).toMatch(/WHERE name = 'Fiction'/);
  });

  it('places "table" or "data" after a table the plan reads ("Using the genres table")', () => {
    expect(sqlOn(bookshop, 'Using the books table, what is the average price?', { unrounded: true })).toBe(
      'SELECT AVG(price) AS average_price FROM books',
    );
  });

  it('groups the rows of another table by the root of their genre when the question asks per top-level genre', () => {
    const facts = readPromptFacts(
      ['## Glossary', '- "top-level genre" (also: main genre, top-level genres) = genres rows where genres.parent_id IS NULL.'].join('\n'),
    );
    const knowledge = { glossary: facts.glossary, metrics: facts.metrics, tableSchemas: facts.tableSchemas };
    for (const dialect of ['postgres', 'mysql'] as const)
      expect(sqlOn(bookshop, 'How many books are in each top-level genre?', { dialect, knowledge })).toBe(
        'SELECT COALESCE(g2.name, g.name) AS name, COUNT(*) AS books_count FROM books b JOIN genres g ON b.genre_id = g.id LEFT JOIN genres g2 ON g2.id = g.parent_id GROUP BY COALESCE(g2.id, g.id), COALESCE(g2.name, g.name) ORDER BY books_count DESC, COALESCE(g2.name, g.name)',
      );
    // The genres themselves keep the condition.
    expect(sqlOn(bookshop, 'How many top-level genres are there?', { knowledge })).toBe(
      'SELECT COUNT(*) AS genres_count FROM genres WHERE (genres.parent_id IS NULL)',
    );
  });
});
