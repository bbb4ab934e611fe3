import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../src/agent/index.ts';
import { findDateRange, type DateRange } from '../../src/llm/offline/date-range.ts';
import { readPromptFacts } from '../../src/llm/offline/prompt-facts.ts';
import { planQuery } from '../../src/llm/offline/query-planner.ts';
import { readQuestionShape } from '../../src/llm/offline/question-shape.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { SchemaCatalogue } from '../../src/llm/offline/schema-catalogue.ts';
import { column, planOn, plannerToday, sqlOn, table } from '../support/offline-tables.ts';

// The offline planner on grouping questions (issue 16), on a small schema of its own (a bus company's depots,
// buses, drivers and trips), not a fixture and not an eval question: how a question names the groups, what is
// ranked and by what, and the phrasings of requests that only say how to present the figures.

const fleet: TableDescription[] = [
  table('depots', 'Bus depots', [column('id', 'integer'), column('name', 'text'), column('city', 'text')]),
  table('buses', 'Buses of the fleet', [
    column('id', 'integer'),
    column('plate', 'text'),
    column('make', 'text', { sampleValues: ['Volvo', 'Scania', 'MAN'] }),
    column('depot_id', 'integer', { references: 'public.depots(id)' }),
    column('bought_on', 'date'),
  ]),
  table('drivers', 'Bus drivers', [
    column('id', 'integer'),
    column('first_name', 'text'),
    column('last_name', 'text'),
    column('depot_id', 'integer', { references: 'public.depots(id)' }),
    column('hired_on', 'date'),
    column('salary', 'decimal', { comment: 'Annual salary in US dollars.' }),
  ]),
  table('trips', 'Trips driven', [
    column('id', 'integer'),
    column('bus_id', 'integer', { references: 'public.buses(id)' }),
    column('driver_id', 'integer', { references: 'public.drivers(id)' }),
    column('started_at', 'timestamp'),
    column('fare', 'decimal', { comment: 'Fare taken in US dollars.' }),
  ]),
];

const sql = (question: string) => sqlOn(fleet, question);

describe('the offline planner on grouping questions', () => {
  it('ranks the listed things when a number stands before them and a superlative after ("what are the 3 X with the most Y")', () => {
    expect(sql('What are the 3 makes with the most buses?')).toBe(
      'SELECT make, COUNT(*) AS buses_count FROM buses GROUP BY make ORDER BY buses_count DESC, make LIMIT 3',
    );
  });

  it('reads "in which month" and "the name of the X that/with" as asking which', () => {
    expect(sql('In which month of 2025 did we have the most trips?')).toContain('ORDER BY COUNT(*) DESC');
    expect(sql('In which month of 2025 did we have the most trips?')).toContain('EXTRACT(MONTH FROM started_at)');
    expect(sql('What is the name of the depot that has the largest number of buses?')).toBe(
      'SELECT d.name, COUNT(*) AS buses FROM buses b JOIN depots d ON b.depot_id = d.id GROUP BY d.id, d.name ORDER BY buses DESC, d.name LIMIT 1',
    );
  });

  it('groups "X and the number of Y in each" by X, and reads "count the number of"', () => {
    expect(sql('Show all cities and the number of depots in each.')).toBe(
      'SELECT city, COUNT(*) AS depots_count FROM depots GROUP BY city ORDER BY depots_count DESC, city',
    );
    expect(sql('Count the number of buses for each make.')).toBe(
      'SELECT make, COUNT(*) AS buses_count FROM buses GROUP BY make ORDER BY buses_count DESC, make',
    );
  });

  it('counts "how are X distributed across Y" per Y, and places the words of an order the answer has anyway', () => {
    expect(sql('How are buses distributed across makes?')).toBe(
      'SELECT make, COUNT(*) AS buses_count FROM buses GROUP BY make ORDER BY buses_count DESC, make',
    );
    expect(sql('Give the number of buses for each make, sorted by the count in descending order.')).toBe(
      'SELECT make, COUNT(*) AS buses_count FROM buses GROUP BY make ORDER BY buses_count DESC, make',
    );
  });

  it('averages per-group counts for "on average, how many X per Y"', () => {
    expect(sql('On average, how many trips are recorded per driver?')).toBe(
      'SELECT ROUND(AVG(per_group.trips_count), 2) AS avg_trips_count FROM (SELECT d.id, COUNT(*) AS trips_count FROM trips t JOIN drivers d ON t.driver_id = d.id GROUP BY d.id) AS per_group',
    );
  });

  it('takes "compare", "calculate" and "along with" as ways of asking, not as words to place', () => {
    expect(sql('Compare the average salary of drivers across depots')).toContain('GROUP BY d2.id, d2.name');
    expect(sql('Calculate the average fare for each make.')).toContain('GROUP BY b.make');
    expect(sql('Show each depot name along with its average driver salary.')).toContain('AVG(d.salary)');
  });

  it('still declines a grouping by something no table holds', () => {
    expect(planOn(fleet, 'How many trips per route?').kind).toBe('cannot');
  });
});

describe('the offline planner on aggregates of groups', () => {
  it('keeps the asked groups whose aggregate passes a number ("which X have an average Y above N") in HAVING', () => {
    expect(sql('Which makes have an average fare above 20?')).toBe(
      'SELECT b.make FROM trips t JOIN buses b ON t.bus_id = b.id GROUP BY b.make HAVING ROUND(AVG(t.fare), 2) > 20 ORDER BY b.make',
    );
  });

  it('ranks groups by the aggregate a superlative names ("the highest average salary"), and declines it with nothing asked for', () => {
    expect(sql('Which depot has the highest average salary?')).toBe(
      'SELECT d2.name, ROUND(AVG(d.salary), 2) AS average_salary FROM drivers d JOIN depots d2 ON d.depot_id = d2.id GROUP BY d2.id, d2.name ORDER BY average_salary DESC, d2.name LIMIT 1',
    );
    expect(planOn(fleet, 'What is the highest average salary?').kind).toBe('cannot');
  });

  it('averages per-group totals for "the average total X per Y"', () => {
    expect(sql('What is the average total fare per driver?')).toBe(
      'SELECT ROUND(AVG(per_group.total_fare), 2) AS avg_total_fare FROM (SELECT d.id, SUM(t.fare) AS total_fare FROM trips t JOIN drivers d ON t.driver_id = d.id GROUP BY d.id) AS per_group',
    );
  });

  it('ranks "the most recently hired" by the date column the participle names, within each group', () => {
    expect(sql('Who is the most recently hired driver in each depot?')).toContain('PARTITION BY d2.id ORDER BY d.hired_on DESC');
  });

  it('ranks the values of a column within each value of another column of the same table', () => {
    expect(sql('the most common make for each depot')).toContain('RANK() OVER (PARTITION BY');
  });

  it('sums a bare phrase of totals per period ("monthly fare totals in 2025") and counts one of counts', () => {
    expect(sql('monthly fare totals in 2025')).toContain('SUM(fare)');
    expect(sql('monthly fare totals in 2025')).toContain('GROUP BY EXTRACT(MONTH FROM started_at)');
    expect(sql('monthly trip counts for 2025')).toContain('COUNT(*)');
  });
});

describe('the offline planner on periods', () => {
  it('ranks periods by a total as it ranks them by a number of rows', () => {
    expect(sql('Which month of 2025 had the highest total fare?')).toBe(
      "SELECT EXTRACT(MONTH FROM started_at) AS month FROM trips WHERE started_at >= '2025-01-01' AND started_at < '2026-01-01' GROUP BY EXTRACT(MONTH FROM started_at) ORDER BY SUM(fare) DESC, EXTRACT(MONTH FROM started_at) LIMIT 1",
    );
  });

  it('groups by a period and another group joined by "and", and declines two groups it cannot tell apart', () => {
    expect(sql('number of buses per make and year')).toBe(
      'SELECT EXTRACT(YEAR FROM bought_on) AS year, make, COUNT(*) AS buses_count FROM buses GROUP BY EXTRACT(YEAR FROM bought_on), make ORDER BY EXTRACT(YEAR FROM bought_on), make',
    );
    expect(planOn(fleet, 'number of buses by make and depot').kind).toBe('cannot');
  });

  it('declines a breakdown by period of a date that a glossary term already bounds', () => {
    const facts = readPromptFacts(
      ['## Glossary', '- "new driver" (also: new drivers) = drivers rows where drivers.hired_on >= \'2026-01-01\'.'].join('\n'),
    );
    const knowledge = { glossary: facts.glossary, metrics: facts.metrics, tableSchemas: facts.tableSchemas };
    expect(planOn(fleet, 'How many drivers were hired per year?').kind).toBe('plan');
    expect(planOn(fleet, 'How many new drivers were hired per year?', { knowledge }).kind).toBe('cannot');
  });
});

describe('the offline planner on a summary table the question names', () => {
  const summary = table('takings_summary', 'Takings per depot and month', [
    column('id', 'integer'),
    column('depot_id', 'integer', { references: 'public.depots(id)' }),
    column('summary_month', 'date'),
    column('takings', 'decimal'),
  ]);
  const facts = readPromptFacts(['## Metrics', '- "takings" (also: receipts) = SUM(trips.fare) over trips'].join('\n'));
  const knowledge = { glossary: facts.glossary, metrics: facts.metrics, tableSchemas: facts.tableSchemas };
  const summarySql = (question: string) => sqlOn([...fleet, summary], question, { knowledge });

  it("sums the named table's own column rather than a metric of the same name on another table", () => {
    expect(summarySql('total takings per depot according to the takings summary')).toBe(
      'SELECT d.name, SUM(ts.takings) AS total_takings FROM takings_summary ts JOIN depots d ON ts.depot_id = d.id GROUP BY d.id, d.name ORDER BY total_takings DESC, d.name',
    );
    expect(summarySql('total takings per depot')).toContain('SUM(t.fare)');
  });
});

describe('the offline planner on units and amounts per group, and the date of order lines', () => {
  const kinds = table('kinds', 'Kinds of goods', [column('id', 'integer'), column('name', 'text')]);
  const goods = table('goods', 'Goods sold', [
    column('id', 'integer'),
    column('name', 'text'),
    column('kind_id', 'integer', { references: 'public.kinds(id)' }),
    column('launched_at', 'timestamp'),
  ]);
  const sales = table('sales', 'Sales', [column('id', 'integer'), column('sale_date', 'date')]);
  const lines = table('lines', 'Lines of a sale', [
    column('id', 'integer'),
    column('sale_id', 'integer', { references: 'public.sales(id)' }),
    column('good_id', 'integer', { references: 'public.goods(id)' }),
    column('quantity', 'integer', { comment: 'Number of units' }),
  ]);

  it('sums a bare phrase of units per group ("quantity per kind")', () => {
    expect(sqlOn([kinds, goods, sales, lines], 'quantity per kind')).toBe(
      'SELECT k.name, SUM(l.quantity) AS total_quantity FROM lines l JOIN goods g ON l.good_id = g.id JOIN kinds k ON g.kind_id = k.id GROUP BY k.id, k.name ORDER BY total_quantity DESC, k.name',
    );
  });

  it("dates lines by the nearest table's date, not by the first shown of as many steps away", () => {
    const shownFirst = [kinds, goods, lines, sales];
    expect(sqlOn(shownFirst, 'quantity per kind in 2025')).toContain("s.sale_date >= '2025-01-01'");
  });

  it('asks to see a table the lines point at before dating them by another table', () => {
    const words = wordsOf('quantity per kind in 2025');
    const date = findDateRange(words, '2026-06-15');
    const shape = readQuestionShape(words, new Set(date?.wordIndices ?? []))!;
    const shown = [kinds, goods, lines];
    const outcome = planQuery({
      words,
      shape,
      dateRange: (date as DateRange | null) ?? null,
      catalogue: new SchemaCatalogue(shown),
      hits: [],
      requested: shown.map((description) => description.name),
      showsLeft: 1,
      rowLimit: null,
      revision: 0,
    });
    expect(outcome).toEqual({ kind: 'show', table: 'public.sales' });
  });
});

describe('the offline planner on trends and orders of groups', () => {
  it('reads "the trend of" a figure per period as that figure per period', () => {
    expect(sql('What is the trend of the total fare per month in 2025?')).toContain('GROUP BY EXTRACT(MONTH FROM started_at)');
    expect(sql('Show the trend in the number of trips per month for 2025')).toContain('COUNT(*)');
  });

  it('counts whole months over "the last N months" (the current one left out), by number within one calendar year', () => {
    // Today is 2026-06-15 in these tests: the last 3 whole months are March to May 2026.
    expect(sqlOn(fleet, 'number of trips per month over the last 3 months', { today: plannerToday })).toBe(
      "SELECT EXTRACT(MONTH FROM started_at) AS month, COUNT(*) AS trips_count FROM trips WHERE started_at >= '2026-03-01' AND started_at < '2026-06-01' GROUP BY EXTRACT(MONTH FROM started_at) ORDER BY EXTRACT(MONTH FROM started_at)",
    );
    // Over twelve months the months are named by their first day; without a series the window still ends today.
    expect(sqlOn(fleet, 'number of trips per month over the last 12 months', { today: plannerToday })).toMatch(
      /DATE_TRUNC\('month', started_at\).* WHERE started_at >= '2025-06-01' AND started_at < '2026-06-01'/,
    );
    expect(sqlOn(fleet, 'How many trips were there in the last 3 months?', { today: plannerToday })).toMatch(
      /WHERE started_at >= '2026-03-15' AND started_at < '2026-06-16'$/,
    );
  });

  it('reads "month by month" as per month, with the change only when the question names one', () => {
    expect(sql('number of trips month by month in 2025')).not.toContain('LAG(');
    expect(sql('How has the number of trips changed month by month in 2025?')).toContain('LAG(trips_count) OVER (ORDER BY month)');
  });

  it('places "from highest to lowest" as the order a grouped answer has, and "from lowest to highest" as the other', () => {
    expect(sql('number of buses per make, from highest to lowest')).toContain('ORDER BY buses_count DESC');
  });

  it('ranks within each group by the measure a "by" after the group names', () => {
    const ranked = sql('the top 2 drivers in each depot by number of trips');
    expect(ranked).toContain('RANK() OVER (PARTITION BY');
    expect(ranked).toContain('ORDER BY COUNT(*) DESC');
    expect(ranked).toContain('position <= 2');
  });
});

describe('the offline planner on rankings with no cut', () => {
  it('lists every group in the order of a count for "rank the X by number of Y" and "the X ranked by number of Y"', () => {
    expect(sql('Rank the makes by number of buses')).toBe(
      'SELECT make, COUNT(*) AS buses_count FROM buses GROUP BY make ORDER BY buses_count DESC, make',
    );
    expect(sql('List the depots ranked by number of drivers')).toBe(
      'SELECT d2.name, COUNT(*) AS drivers FROM drivers d JOIN depots d2 ON d.depot_id = d2.id GROUP BY d2.id, d2.name ORDER BY drivers DESC, d2.name',
    );
  });
});
