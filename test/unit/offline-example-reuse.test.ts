import { describe, expect, it } from 'vitest';
import type { MetadataHit, TableDescription } from '../../src/agent/index.ts';
import { answerNamesMissingNumber, unappliedConstraint } from '../../src/llm/offline/answer-guards.ts';
import { findDateRange } from '../../src/llm/offline/date-range.ts';
import { matchExample, type ExampleKnowledge } from '../../src/llm/offline/example-matcher.ts';
import { readPromptFacts, type PromptExample } from '../../src/llm/offline/prompt-facts.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { column } from '../support/offline-tables.ts';
import { columnLookupSql, isColumnLookup, lookedUpColumns } from '../../src/llm/offline/value-lookup.ts';

// Reuse of verified examples on a small schema of its own (a lending library), not a fixture and not an
// eval question: which differences between a question and an example are slots the model may fill, and
// which change the meaning so that the example must not be used.

const prompt = [
  'You write postgres SQL for the database "library". Today is 2026-06-15.',
  'Tables, as schema: table(fields):',
  'public: authors(id,name,country); books(id,title,author_id,price,genre,published_on); loans(id,book_id,member_id,loaned_at,returned); members(id,name,city,joined_on)',
  '',
  '## Glossary',
  '- "reader" (also: readers, patron, patrons) = table members',
  '- "writer" (also: writers, novelist, novelists) = table authors',
  '- "crime novel" (also: crime novels, thrillers) = books.genre = \'thriller\'',
  '- "hometown" (also: home town) = column members.city',
  '',
  '## Metrics',
  '- "turnover" (also: lending volume) = COUNT(*) over loans; dated by loans.loaned_at',
].join('\n');
const facts = readPromptFacts(prompt);

const members: TableDescription = {
  name: 'public.members',
  kind: 'table',
  comment: 'People who borrow books',
  rowEstimate: 500,
  primaryKey: ['id'],
  columns: [
    column('id', 'integer'),
    column('name', 'text'),
    column('city', 'text', { sampleValues: ['Lyon', 'Sao Paulo', 'Oslo', 'Cork', 'Perth'] }),
    column('joined_on', 'date'),
  ],
  referencedBy: [],
};

const byValue = (table: string, columnName: string, value: string): MetadataHit => ({
  kind: 'column',
  schema: 'public',
  table,
  column: columnName,
  score: 1,
  reasons: [`sample value "${value}"`],
});

const knowledge = (extra: Partial<ExampleKnowledge> = {}): Partial<ExampleKnowledge> => ({
  today: facts.today,
  glossary: facts.glossary,
  metrics: facts.metrics,
  tables: [...facts.tableSchemas.keys()],
  tableSchemas: facts.tableSchemas,
  ...extra,
});

/** The SQL an example gives the question, or null when the example is not used. */
function reuse(
  question: string,
  example: PromptExample,
  hits: MetadataHit[] = [],
  extra: Partial<ExampleKnowledge> = {},
  shown: TableDescription[] = [],
) {
  const match = matchExample(question, [example], hits, shown, knowledge(extra));
  return match && 'sql' in match ? match.sql : null;
}

const example = (question: string, sql: string): PromptExample => ({ question, sql });
const loansPerMember = 'SELECT m.name, COUNT(*) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name';
const cityCount = example('How many members live in Lyon?', "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Lyon'");
const topBorrowers = example('Which 5 members borrowed the most books?', `${loansPerMember} ORDER BY loans DESC, m.name LIMIT 5`);
const busyMembers = example('Which members borrowed more than 10 books?', `${loansPerMember} HAVING COUNT(*) > 10 ORDER BY loans DESC`);
const loansInYear: PromptExample = {
  question: 'How many loans were made in 2024?',
  sql: "SELECT COUNT(*) AS loans FROM loans WHERE loaned_at >= '2024-01-01' AND loaned_at < '2025-01-01'",
};

describe('reusing a verified example: slots', () => {
  it('fills a value slot with a sampled value of the same column, in any case', () => {
    expect(reuse('How many members live in Oslo?', cityCount, [byValue('members', 'city', 'Oslo')])).toBe(
      "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Oslo'",
    );
    expect(reuse('how many members live in oslo?', cityCount, [byValue('members', 'city', 'Oslo')])).toBe(
      "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Oslo'",
    );
  });

  it('fills a multi-word value, from a shown table or from a lookup of stored values, accents aside', () => {
    expect(reuse('How many members live in Sao Paulo?', cityCount, [], {}, [members])).toBe(
      "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Sao Paulo'",
    );
    expect(reuse('How many members live in Bogota?', cityCount, [byValue('members', 'city', 'Bogotá')])).toBe(
      "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Bogotá'",
    );
    const found = [{ table: 'public.members', column: 'city', value: 'Rio de Janeiro' }];
    expect(reuse('How many members live in Rio de Janeiro?', cityCount, [], { found }, [members])).toBe(
      "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Rio de Janeiro'",
    );
  });

  it('does not fill a slot with a value of another column', () => {
    expect(reuse('How many members live in Chile?', cityCount, [byValue('authors', 'country', 'Chile')])).toBeNull();
  });

  it('looks at the example table, then looks the value up in its column, before giving up', () => {
    expect(matchExample('How many members live in Kyoto?', [cityCount], [], [], knowledge())).toEqual({ pendingTable: 'public.members' });
    expect(matchExample('How many members live in Kyoto?', [cityCount], [], [members], knowledge())).toEqual({
      pendingLookup: { table: 'public.members', column: 'city', words: ['kyoto'] },
    });
    const lookup = columnLookupSql('public.members', 'city', ['kyoto'])!;
    expect(isColumnLookup({ sql: lookup })).toBe(true);
    expect(lookedUpColumns([{ sql: lookup, error: null, columns: [], rows: [], rowCount: 0, truncated: false }])).toEqual([
      'public.members.city',
    ]);
    expect(
      matchExample('How many members live in Kyoto?', [cityCount], [], [members], knowledge({ lookedUp: ['public.members.city'] })),
    ).toBeNull();
  });

  it('fills the N of a top N, written in digits or in words, and only with a whole number', () => {
    expect(reuse('Which 3 members borrowed the most books?', topBorrowers)).toMatch(/ LIMIT 3$/);
    expect(reuse('Which ten members borrowed the most books?', topBorrowers)).toMatch(/ LIMIT 10$/);
    expect(reuse('Which 2.5 members borrowed the most books?', topBorrowers)).toBeNull();
  });

  it('fills a money threshold only with money', () => {
    const dearBooks = example('How many books cost more than $30?', 'SELECT COUNT(*) FROM books WHERE price > 30');
    expect(reuse('How many books cost more than $45?', dearBooks)).toBe('SELECT COUNT(*) FROM books WHERE price > 45');
    expect(reuse('How many books cost more than 45?', dearBooks)).toBeNull();
  });

  it('fills the threshold of a comparison, and only where the SQL compares it', () => {
    expect(reuse('Which members borrowed more than twenty books?', busyMembers)).toContain('HAVING COUNT(*) > 20 ');
    expect(reuse('Which members borrowed more than 3 books?', busyMembers)).toContain('HAVING COUNT(*) > 3 ');
    const unplaced = { ...busyMembers, sql: busyMembers.sql.replace('> 10', '> 9') };
    expect(reuse('Which members borrowed more than 3 books?', unplaced)).toBeNull();
  });

  it('moves both ends of a year range, and of a month or a relative period', () => {
    expect(reuse('How many loans were made in 2023?', loansInYear)).toBe(
      "SELECT COUNT(*) AS loans FROM loans WHERE loaned_at >= '2023-01-01' AND loaned_at < '2024-01-01'",
    );
    expect(reuse('How many loans were made in March 2025?', loansInYear)).toBe(
      "SELECT COUNT(*) AS loans FROM loans WHERE loaned_at >= '2025-03-01' AND loaned_at < '2025-04-01'",
    );
    // Today is 2026-06-15: last month is May 2026, this year runs to today.
    expect(reuse('How many loans were made last month?', loansInYear)).toBe(
      "SELECT COUNT(*) AS loans FROM loans WHERE loaned_at >= '2026-05-01' AND loaned_at < '2026-06-01'",
    );
    expect(reuse('How many loans were made this year?', loansInYear)).toBe(
      "SELECT COUNT(*) AS loans FROM loans WHERE loaned_at >= '2026-01-01' AND loaned_at < '2026-06-16'",
    );
    // A month without a year is the latest such month up to today.
    const inMarch = example(
      'How many loans were made in March?',
      "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2026-03-01' AND loaned_at < '2026-04-01'",
    );
    expect(reuse('How many loans were made in November?', inMarch)).toBe(
      "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2025-11-01' AND loaned_at < '2025-12-01'",
    );
    const inclusive = { ...loansInYear, sql: "SELECT COUNT(*) FROM loans WHERE loaned_at BETWEEN '2024-01-01' AND '2024-12-31'" };
    expect(reuse('How many loans were made in 2022?', inclusive)).toBe(
      "SELECT COUNT(*) FROM loans WHERE loaned_at BETWEEN '2022-01-01' AND '2022-12-31'",
    );
    const extracted = { ...loansInYear, sql: 'SELECT COUNT(*) FROM loans WHERE EXTRACT(YEAR FROM loaned_at) = 2024' };
    expect(reuse('How many loans were made in 2021?', extracted)).toBe(
      'SELECT COUNT(*) FROM loans WHERE EXTRACT(YEAR FROM loaned_at) = 2021',
    );
    expect(reuse('How many loans were made in June 2021?', extracted)).toBeNull();
  });

  it('does not reuse an example whose SQL dates are not those of its own period', () => {
    const stale = { question: 'How many loans were made last month?', sql: "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2025-01-01'" };
    expect(reuse('How many loans were made last month?', stale)).toBeNull();
    expect(reuse('How many loans were made last year?', stale)).toBeNull();
  });

  it('refuses a period of another kind, and a period on one side only', () => {
    expect(reuse('How many loans were made since 2023?', loansInYear)).toBeNull();
    expect(reuse('How many loans were made before 2023?', loansInYear)).toBeNull();
    expect(reuse('How many loans were made?', loansInYear)).toBeNull();
    expect(reuse('How many members live in Oslo in 2024?', cityCount, [byValue('members', 'city', 'Oslo')])).toBeNull();
  });

  it('takes glossary synonyms, metric names and table names as the same words', () => {
    expect(reuse('How many patrons live in Oslo?', cityCount, [byValue('members', 'city', 'Oslo')])).toBe(
      "SELECT COUNT(*) AS members FROM members m WHERE m.city = 'Oslo'",
    );
    expect(reuse('Which 5 readers borrowed the most books?', topBorrowers)).toBe(topBorrowers.sql);
    const byHometown = { question: 'How many members are there per hometown?', sql: 'SELECT city, COUNT(*) FROM members GROUP BY city' };
    expect(reuse('How many readers are there per city?', byHometown)).toBe(byHometown.sql);
    const turnover = {
      question: 'What was the turnover in 2024?',
      sql: "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2024-01-01' AND loaned_at < '2025-01-01'",
    };
    expect(reuse('What was the lending volume in 2025?', turnover)).toContain("'2025-01-01' AND loaned_at < '2026-01-01'");
  });

  it('swaps a glossary value for another value of the same column', () => {
    const thrillers = {
      question: 'How many crime novels cost more than 20?',
      sql: "SELECT COUNT(*) FROM books WHERE genre = 'thriller' AND price > 20",
    };
    expect(reuse('How many poetry books cost more than 20?', thrillers, [byValue('books', 'genre', 'poetry')])).toBeNull();
    expect(reuse('How many thrillers cost more than 15?', thrillers)).toBe(
      "SELECT COUNT(*) FROM books WHERE genre = 'thriller' AND price > 15",
    );
    const poetry = {
      question: 'How many poetry books cost more than 20?',
      sql: "SELECT COUNT(*) FROM books WHERE genre = 'poetry' AND price > 20",
    };
    expect(reuse('How many drama books cost more than 20?', poetry, [byValue('books', 'genre', 'drama')])).toBe(
      "SELECT COUNT(*) FROM books WHERE genre = 'drama' AND price > 20",
    );
  });

  it('reuses the example as it is for the same question, and says how close it was', () => {
    const match = matchExample(cityCount.question, [cityCount], [], [], knowledge());
    expect(match).toMatchObject({ sql: cityCount.sql, similarity: 1 });
    const filled = matchExample('How many members live in Oslo?', [cityCount], [byValue('members', 'city', 'Oslo')], [], knowledge());
    expect(filled).toMatchObject({ example: cityCount });
    expect((filled as { similarity: number }).similarity).toBeLessThan(1);
  });
});

describe('reusing a verified example: words that change the meaning', () => {
  const refused: Array<[string, string, PromptExample]> = [
    ['negation', 'How many members do not live in Lyon?', cityCount],
    ['negation (never)', 'Which members never borrowed more than 10 books?', busyMembers],
    ['grouping', 'How many members live in Lyon per year?', cityCount],
    ['ranking direction', 'Which 5 members borrowed the fewest books?', topBorrowers],
    ['ranking direction (least)', 'Which 5 members borrowed the least books?', topBorrowers],
    ['first or last', 'Which 5 members borrowed the first books?', topBorrowers],
    ['aggregate', 'What is the average number of loans in 2024?', loansInYear],
    ['comparison', 'Which members borrowed fewer than 10 books?', busyMembers],
    ['comparison bound', 'Which members borrowed at least 10 books?', busyMembers],
    ['comparison bound (at most)', 'Which members borrowed at most 10 books?', busyMembers],
    ['distinct', 'How many distinct members live in Lyon?', cityCount],
    ['share', 'What percent of members live in Lyon?', cityCount],
    ['what is asked (a list, not a count)', 'Which members live in Lyon?', cityCount],
    ['what is asked (a count, not a list)', 'How many members borrowed more than 10 books?', busyMembers],
    ['another content word', 'How many authors live in Lyon?', cityCount],
    ['preposition', 'How many members live near Lyon?', cityCount],
    ['preposition (from, not in)', 'How many members come from Lyon?', example('How many members come to Lyon?', cityCount.sql)],
    ['an extra value', 'How many members live in Lyon or Oslo?', cityCount],
  ];
  it.each(refused)('refuses the example when the %s differs: "%s"', (_kind, question, example) => {
    const hits = [byValue('members', 'city', 'Oslo'), byValue('members', 'city', 'Lyon')];
    expect(matchExample(question, [example], hits, [members], knowledge())).toBeNull();
  });

  it('uses the example when the meaning words agree', () => {
    expect(reuse('Which members borrowed more than 10 books?', busyMembers)).toBe(busyMembers.sql);
    expect(reuse('How many members live in Lyon?', cityCount)).toBe(cityCount.sql);
    const never = {
      question: 'How many members never borrowed a book?',
      sql: 'SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM loans l WHERE l.member_id = m.id)',
    };
    expect(reuse('How many readers never borrowed a book?', never)).toBe(never.sql);
    expect(reuse('How many readers borrowed a book?', never)).toBeNull();
  });
});

describe('guards against answers that leave out part of the question', () => {
  const guard = (question: string, sql: string) => {
    const words = wordsOf(question);
    return unappliedConstraint(words, findDateRange(words, '2026-06-15'), sql);
  };

  it('declines when a number of the question is not in the SQL', () => {
    expect(guard('Which members borrowed more than 12 books?', 'SELECT name FROM members')).toMatch(/12/);
    expect(guard('Which members borrowed more than twelve books?', 'SELECT name FROM members')).toMatch(/twelve/);
    expect(guard('Which members borrowed more than 12 books?', 'SELECT m.name FROM members m HAVING COUNT(*) > 12')).toBeNull();
    expect(guard('Which one member borrowed the most?', 'SELECT name FROM members LIMIT 1')).toBeNull();
  });

  it('declines when the period of the question is not in the SQL', () => {
    expect(guard('How many loans were made in 2024?', 'SELECT COUNT(*) FROM loans')).toMatch(/2024/);
    expect(guard('How many loans were made in 2024?', "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2024-01-01'")).toBeNull();
    expect(guard('How many loans in the last 30 days?', "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2026-05-16'")).toBeNull();
    expect(guard('How many loans in the last 30 days?', 'SELECT COUNT(*) FROM loans')).toMatch(/last 30 days/);
  });

  it('declines an answer that names a number neither the SQL nor the rows hold', () => {
    expect(
      answerNamesMissingNumber('7 loans were made in 2023.', "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2024-01-01'", [[7]], 1),
    ).toMatch(/2023/);
    expect(
      answerNamesMissingNumber('7 loans were made in 2024.', "SELECT COUNT(*) FROM loans WHERE loaned_at >= '2024-01-01'", [[7]], 1),
    ).toBeNull();
    expect(answerNamesMissingNumber('The average price is 12.50.', 'SELECT AVG(price) FROM books', [['12.5000']], 1)).toBeNull();
  });
});
