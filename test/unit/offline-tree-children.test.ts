import { describe, expect, it } from 'vitest';
import { column, sqlOn, table } from '../support/offline-tables.ts';

// "List the subcategories of Electronics": a value of the listed tree table's own label after a word of being under it
// names the parent of the rows asked for. Before, the value was a condition on the rows themselves, so the list was the
// parent alone or empty, and "How many subcategories does Electronics have?" answered 0. A document store of its own.

const store = [
  table('folders', 'Folders in a two-level tree: top-level folders have no parent', [
    column('id', 'integer'),
    column('name', 'text', { sampleValues: ['Finance', 'Invoices', 'Payroll', 'Legal'] }),
    column('parent_id', 'integer', { references: 'public.folders(id)', nullable: true }),
  ]),
  table('documents', 'Documents, each in one folder', [
    column('id', 'integer'),
    column('title', 'text'),
    column('folder_id', 'integer', { references: 'public.folders(id)' }),
  ]),
];

describe('the rows under a parent of a tree', () => {
  it('lists and counts the children of the named parent', () => {
    expect(sqlOn(store, 'List the child folders of Finance')).toBe(
      "SELECT name FROM folders WHERE parent_id IN (SELECT id FROM folders WHERE name = 'Finance') ORDER BY name",
    );
    expect(sqlOn(store, 'Which folders are under Finance?')).toBe(
      "SELECT name FROM folders WHERE parent_id IN (SELECT id FROM folders WHERE name = 'Finance') ORDER BY name",
    );
    expect(sqlOn(store, 'How many child folders does Finance have?')).toBe(
      "SELECT COUNT(*) AS folders_count FROM folders WHERE parent_id IN (SELECT id FROM folders WHERE name = 'Finance')",
    );
  });

  it('keeps a value of the tree as itself where nothing says under, and the subtree for rows of another table', () => {
    expect(sqlOn(store, 'Which folders are named Finance?')).toBe("SELECT name FROM folders WHERE name = 'Finance' ORDER BY name");
    expect(sqlOn(store, 'How many documents are in the Finance folder?')).toMatch(
      /WHERE \(f\.name = 'Finance' OR \(f\.parent_id IS NOT NULL AND f\.parent_id IN \(SELECT id FROM folders WHERE name = 'Finance'\)\)\)$/,
    );
  });
});
