import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../src/agent/index.ts';
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
});
