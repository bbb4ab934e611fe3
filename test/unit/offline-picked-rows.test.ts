import { describe, expect, it } from 'vitest';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// Rows that belong to the rows a superlative picks ("How many loans were made for the most expensive book?"), and
// one row named by its key ("member 12"). Before, the first declined ("counts rows that a superlative picks") and the
// second left "member" and "12" unplaced. A lending library of its own, not a fixture.

const library = [
  table('branches', 'Library branches', [
    column('id', 'integer'),
    column('name', 'text'),
    column('city', 'text', { sampleValues: ['Cork', 'Galway', 'Sligo'] }),
  ]),
  table('members', 'Library members', [
    column('id', 'integer'),
    column('name', 'text'),
    column('branch_id', 'integer', { references: 'public.branches(id)' }),
    column('yearly_fee', 'decimal', { comment: 'Membership fee per year in US dollars.' }),
  ]),
  table('books', 'Books in the catalogue', [
    column('id', 'integer'),
    column('title', 'text'),
    column('price', 'decimal', { comment: 'List price in US dollars.' }),
  ]),
  table('loans', 'Each loan of a book to a member', [
    column('id', 'integer'),
    column('member_id', 'integer', { references: 'public.members(id)' }),
    column('book_id', 'integer', { references: 'public.books(id)' }),
    column('loaned_on', 'date'),
    column('late_fee', 'decimal', { comment: 'Late fee charged in US dollars.' }),
  ]),
];
const today = '2026-06-15';
const sql = (question: string, dialect: 'postgres' | 'mysql' = 'postgres') => sqlOn(library, question, { today, dialect });

describe('one row named by its key', () => {
  it('reads a singular noun and a whole number as the row with that key', () => {
    for (const question of [
      'How many loans did member 12 make?',
      'How many loans did member number 12 make?',
      'How many loans did the member with id 12 make?',
      'How many loans did member #12 make?',
    ])
      expect(sql(question), question).toBe(
        "SELECT COUNT(*) AS loans_count FROM loans l JOIN members m ON l.member_id = m.id WHERE m.id = '12'",
      );
    expect(sql('What is the name of member 12?')).toBe("SELECT name FROM members WHERE id = '12' ORDER BY name");
  });

  it('takes neither a count nor a comparison with a row for a key', () => {
    // "the member with 12 loans" is no member 12; "than book 7" compares with that book's own figure.
    expect(sql('How many members have exactly 12 loans?')).not.toMatch(/id = '12'/);
    expect(planOn(library, 'How many books are cheaper than book 7?', { today })).toMatchObject({ kind: 'cannot' });
  });
});

describe('rows that belong to the rows a superlative picks', () => {
  it('counts the rows of the one row a superlative before its noun picks', () => {
    expect(sql('How many loans were made for the most expensive book?')).toBe(
      'SELECT COUNT(*) AS loans_count FROM loans l JOIN books b ON l.book_id = b.id WHERE b.id IN (SELECT id FROM (SELECT id FROM books ORDER BY price DESC, id LIMIT 1) AS picked)',
    );
  });

  it('counts the rows of the row a phrase after its noun picks, up to where the question goes on', () => {
    const picked =
      'SELECT COUNT(*) AS loans_count FROM loans l JOIN members m ON l.member_id = m.id WHERE m.id IN (SELECT id FROM (SELECT m.id FROM loans l JOIN members m ON l.member_id = m.id GROUP BY m.id ORDER BY SUM(l.late_fee) DESC, m.id LIMIT 1) AS picked)';
    expect(sql('How many loans were made by the member who paid the most late fees?')).toBe(picked);
    expect(sql('How many loans did the member with the most late fees make?')).toBe(picked);
    expect(sql('How many loans did the top member by late fees make?')).toBe(picked);
  });

  it('picks as many rows as the number says, through a derived table MySQL takes', () => {
    for (const dialect of ['postgres', 'mysql'] as const)
      expect(sql('How many loans were made for the 2 most expensive books?', dialect)).toBe(
        'SELECT COUNT(*) AS loans_count FROM loans l JOIN books b ON l.book_id = b.id WHERE b.id IN (SELECT id FROM (SELECT id FROM books ORDER BY price DESC, id LIMIT 2) AS picked)',
      );
    expect(sql('How many loans were made by the top 5 members by late fees?')).toMatch(
      /ORDER BY SUM\(l\.late_fee\) DESC, m\.id LIMIT 5\) AS picked\)$/,
    );
  });

  it('sums the related rows of the picked row, and keeps the question’s own period outside the pick', () => {
    expect(sql('What is the total late fee of the member with the highest yearly fee?')).toMatch(
      /^SELECT SUM\(l\.late_fee\) AS total_late_fee FROM loans l JOIN members m ON l\.member_id = m\.id WHERE m\.id IN \(SELECT id FROM \(SELECT id FROM members .*ORDER BY SUM\(yearly_fee\) DESC, id LIMIT 1\) AS picked\)$/,
    );
    expect(sql('How many loans were made for the most expensive book in 2025?')).toBe(
      "SELECT COUNT(*) AS loans_count FROM loans l JOIN books b ON l.book_id = b.id WHERE b.id IN (SELECT id FROM (SELECT id FROM books ORDER BY price DESC, id LIMIT 1) AS picked) AND l.loaned_on >= '2025-01-01' AND l.loaned_on < '2026-01-01'",
    );
  });

  it('picks a value of a column as well as a row', () => {
    expect(sql('How many members are in the city with the most members?')).toBe(
      'SELECT COUNT(*) AS members_count FROM members m JOIN branches b ON m.branch_id = b.id WHERE b.city IN (SELECT city FROM (SELECT b.city FROM members m JOIN branches b ON m.branch_id = b.id GROUP BY b.city ORDER BY COUNT(*) DESC, b.city LIMIT 1) AS picked)',
    );
  });

  it('declines what it cannot pick, in words of the question', () => {
    for (const [question, reason] of [
      // A comparison with the picked row's own figure.
      ['How many books are cheaper than the most expensive book?', /belong to "the most expensive book"/],
      ['How many members have more loans than the member with the most late fees?', /belong to "the member with the most late fees"/],
      // A top with nothing to rank by.
      ['How many loans did the top 3 members make?', /rank/],
    ] as const) {
      const outcome = planOn(library, question, { today });
      expect(outcome, question).toMatchObject({ kind: 'cannot' });
      expect(outcome.kind === 'cannot' && outcome.reason, question).toMatch(reason);
      // (The words put in the phrase's place are never named as the question's.)
      expect((outcome.kind === 'cannot' && outcome.unplaced) || [], question).not.toContain('1');
    }
  });
});

describe('a column named by more of the words', () => {
  it('measures the column the words name together, not one that shares its last word in a named table', () => {
    // (Before, "late fees" summed the members' `yearly_fee`: the members table was named, and "fee" is its head.)
    expect(sql('Which member paid the most late fees?')).toBe(
      'SELECT m.name, SUM(l.late_fee) AS total_late_fee FROM loans l JOIN members m ON l.member_id = m.id GROUP BY m.id, m.name ORDER BY total_late_fee DESC, m.name LIMIT 1',
    );
    expect(sql('What is the average yearly fee?')).toBe('SELECT ROUND(AVG(yearly_fee), 2) AS average_yearly_fee FROM members');
  });
});

describe('rows said to be over or under an amount', () => {
  const shop = [
    table('orders', 'Customer orders', [
      column('id', 'integer'),
      column('status', 'text', { sampleValues: ['shipped', 'cancelled'] }),
      column('total_amount', 'decimal', { comment: 'Order total in US dollars.' }),
    ]),
    table('visits', 'Clinic visits', [
      column('id', 'integer'),
      column('fee', 'decimal', { comment: 'Fee in US dollars.' }),
      column('length_minutes', 'integer', { comment: 'Length of the visit in minutes.' }),
    ]),
  ];
  it('compares their one amount', () => {
    expect(sqlOn(shop, 'How many orders over 1000 were cancelled?')).toBe(
      "SELECT COUNT(*) AS orders_count FROM orders WHERE status = 'cancelled' AND total_amount > 1000",
    );
    expect(sqlOn(shop, 'How many orders under 50 are there?')).toBe('SELECT COUNT(*) AS orders_count FROM orders WHERE total_amount < 50');
  });
  it('declines where the rows have two numbers of their own', () => {
    expect(planOn(shop, 'How many visits over 30 were there?')).toMatchObject({ kind: 'cannot' });
  });
});

describe('a glossary value phrase split by a compared count', () => {
  const knowledge = {
    glossary: [
      {
        phrases: ['late return', 'late returns', 'overdue loans'],
        meaning: { kind: 'value' as const, table: 'returns', column: 'outcome', value: 'overdue' },
      },
    ],
    metrics: [],
  };
  const tables = [
    library[1],
    table('returns', 'Each return of a loaned book', [
      column('id', 'integer'),
      column('member_id', 'integer', { references: 'public.members(id)' }),
      column('outcome', 'text', { sampleValues: ['on_time', 'overdue', 'lost'] }),
    ]),
  ];
  it('names the value by the words before the count, and counts the rows of its table', () => {
    // (Before, "late more than 2 returns" left "late" unplaced: the phrase matched only side by side.)
    expect(sqlOn(tables, 'Which members made late more than 2 returns?', { knowledge })).toBe(
      "SELECT m.name FROM members m LEFT JOIN returns r ON r.member_id = m.id WHERE r.outcome = 'overdue' GROUP BY m.id, m.name HAVING COUNT(DISTINCT r.id) > 2 ORDER BY m.name",
    );
    expect(sqlOn(tables, 'How many members made late 3 or more returns?', { knowledge })).toMatch(
      /outcome = 'overdue'.*HAVING COUNT\(DISTINCT r\.id\) >= 3/,
    );
  });
  it('takes no gap without a number', () => {
    expect(planOn(tables, 'Which members made late and early returns?', { knowledge })).toMatchObject({ kind: 'cannot' });
  });
});

describe('a number that multiplies another column, and a flag of counted rows', () => {
  const shelf = [
    table('genres', 'Book genres', [column('id', 'integer'), column('name', 'text')]),
    table('titles', 'Titles on sale', [
      column('id', 'integer'),
      column('name', 'text'),
      column('genre_id', 'integer', { references: 'public.genres(id)' }),
      column('price', 'decimal', { comment: 'List price in US dollars.' }),
      column('cost', 'decimal', { comment: 'Unit cost in US dollars.' }),
      column('is_available', 'boolean', { comment: 'Whether the title can be ordered.' }),
    ]),
  ];
  it('compares with the number times the column named after it', () => {
    // (Before, "more than twice their cost" compared the price with 2.)
    expect(sqlOn(shelf, 'Which titles have a price more than twice their cost?')).toBe(
      'SELECT name FROM titles WHERE price > 2 * cost ORDER BY name',
    );
    expect(sqlOn(shelf, 'How many titles cost more than 3 times their cost?')).toBe(
      'SELECT COUNT(*) AS titles_count FROM titles WHERE price > 3 * cost',
    );
  });
  it('declines a factor of a column of other rows', () => {
    expect(planOn(shelf, 'Which titles have a price more than twice the name?')).toMatchObject({ kind: 'cannot' });
  });
  it('counts the related rows a flag between the number and their name describes', () => {
    // (Before, "more than 20 available titles" declined: only values could stand there.)
    expect(sqlOn(shelf, 'Which genres have more than 20 available titles?')).toBe(
      'SELECT g.name FROM genres g LEFT JOIN titles t ON t.genre_id = g.id WHERE t.is_available = TRUE GROUP BY g.id, g.name HAVING COUNT(DISTINCT t.id) > 20 ORDER BY g.name',
    );
  });
});

describe('a list of rows that have related rows', () => {
  const shop = [
    table('customers', 'Customers', [column('id', 'integer'), column('name', 'text')]),
    table('orders', 'Orders', [
      column('id', 'integer'),
      column('customer_id', 'integer', { references: 'public.customers(id)' }),
      column('order_date', 'date'),
      column('status', 'text', { sampleValues: ['shipped', 'cancelled'] }),
    ]),
  ];
  it('keeps each listed row once, with the related rows’ value and period inside', () => {
    // (Before, "Which customers placed an order in 2025?" found no date column for the customers and declined.)
    const placed =
      "SELECT name FROM customers WHERE customers.id IN (SELECT o.customer_id FROM orders o WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01') ORDER BY name";
    for (const question of [
      'Which customers placed an order in 2025?',
      'List customers who ordered in 2025.',
      'Which customers bought in 2025?',
      'Which customers purchased something in 2025?',
    ])
      expect(sqlOn(shop, question, { today }), question).toBe(placed);
    expect(sqlOn(shop, 'Which customers placed a cancelled order?', { today })).toBe(
      "SELECT name FROM customers WHERE customers.id IN (SELECT o.customer_id FROM orders o WHERE o.status = 'cancelled') ORDER BY name",
    );
  });
  it('counts as before, and reads "bought" as ordering', () => {
    expect(sqlOn(shop, 'How many customers bought in 2025?', { today })).toBe(
      "SELECT COUNT(DISTINCT customer_id) AS customers_count FROM orders WHERE order_date >= '2025-01-01' AND order_date < '2026-01-01'",
    );
  });
  it('reaches the related rows through a table between, asking to see it first', () => {
    const clinic = [
      table('doctors', 'Doctors', [column('id', 'integer'), column('name', 'text')]),
      table('visits', 'Visits', [
        column('id', 'integer'),
        column('doctor_id', 'integer', { references: 'public.doctors(id)' }),
        column('visited_on', 'date'),
      ]),
      table('prescriptions', 'Prescriptions written at a visit', [
        column('id', 'integer'),
        column('visit_id', 'integer', { references: 'public.visits(id)' }),
      ]),
    ];
    expect(sqlOn(clinic, 'Which doctors wrote a prescription in 2025?', { today })).toBe(
      "SELECT name FROM doctors WHERE doctors.id IN (SELECT v.doctor_id FROM visits v JOIN prescriptions p ON p.visit_id = v.id WHERE v.visited_on >= '2025-01-01' AND v.visited_on < '2026-01-01') ORDER BY name",
    );
    const doctorsShown = { ...clinic[0], referencedBy: [{ from: 'public.visits(doctor_id)', to: 'public.doctors(id)' }] };
    expect(planOn([doctorsShown, clinic[2]], 'Which doctors wrote a prescription in 2025?', { today, showsLeft: 1 })).toMatchObject({
      kind: 'show',
      table: 'public.visits',
    });
  });
});
