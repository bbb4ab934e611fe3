import { describe, expect, it } from 'vitest';
import { findDateRange } from '../../src/llm/offline/date-range.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';

// Date phrases of questions of our own, resolved against a pinned today (a Monday in June 2026).
const today = '2026-06-15';
const period = (question: string, on: string | null = today) => {
  const found = findDateRange(wordsOf(question), on);
  if (!found || 'needsToday' in found) return found;
  return { from: found.from, to: found.to, description: found.description };
};

describe('date phrases: quarters and halves', () => {
  it('reads the last and this calendar quarter against today, and asks for today without it', () => {
    expect(period('How many sessions were booked last quarter?')).toEqual({
      from: '2026-01-01',
      to: '2026-04-01',
      description: 'in Q1 2026',
    });
    expect(period('Revenue in the previous quarter')).toEqual({ from: '2026-01-01', to: '2026-04-01', description: 'in Q1 2026' });
    expect(period('How many members joined this quarter?')).toEqual({
      from: '2026-04-01',
      to: '2026-06-16',
      description: 'in Q2 2026 so far',
    });
    expect(period('How many members joined last quarter?', '2026-02-03')).toEqual({
      from: '2025-10-01',
      to: '2026-01-01',
      description: 'in Q4 2025',
    });
    expect(period('sessions last quarter', null)).toMatchObject({ needsToday: true });
  });

  it('reads a quarter or a half of a named year, whatever today is', () => {
    expect(period('the last quarter of 2024')).toEqual({ from: '2024-10-01', to: '2025-01-01', description: 'in Q4 2024' });
    expect(period('signups in Q3 2025', null)).toEqual({ from: '2025-07-01', to: '2025-10-01', description: 'in Q3 2025' });
    expect(period('fees in the first half of 2025', null)).toEqual({ from: '2025-01-01', to: '2025-07-01', description: 'in H1 2025' });
    expect(period('fees in the second half of 2024')).toEqual({ from: '2024-07-01', to: '2025-01-01', description: 'in H2 2024' });
    expect(period('How much was billed in H2 2023?')).toEqual({ from: '2023-07-01', to: '2024-01-01', description: 'in H2 2023' });
    // A half without a year is not a period ("half of the members"): nothing is read as one.
    expect(period('Which coach trains half of the members?')).toBeNull();
  });
});

describe('date phrases: open-ended periods', () => {
  const indices = (question: string) => {
    const found = findDateRange(wordsOf(question), today);
    return found && 'wordIndices' in found ? found.wordIndices : null;
  };

  it('reads "since", "from … onward", "or later" and "or earlier", and takes their words', () => {
    expect(period('How many members joined since 2020?')).toEqual({ from: '2020-01-01', to: null, description: 'since 2020' });
    expect(indices('How many members joined since 2020?')).toEqual([4, 5]);
    expect(period('Members per year from 2020 onward')).toEqual({ from: '2020-01-01', to: null, description: 'from 2020 on' });
    expect(indices('Members per year from 2020 onwards')).toEqual([3, 4, 5]);
    expect(period('How many members joined in 2020 or later?')).toEqual({ from: '2020-01-01', to: null, description: 'from 2020 on' });
    expect(period('How many members joined in 2019 or earlier?')).toEqual({
      from: null,
      to: '2020-01-01',
      description: 'up to the end of 2019',
    });
    expect(period('How many loans since March 2026?')).toEqual({ from: '2026-03-01', to: null, description: 'since March 2026' });
    expect(indices('How many loans since March 2026?')).toEqual([3, 4, 5]);
  });
});

describe('date phrases: short forms of the units', () => {
  it('reads "yr", "qtr", "wks" and "mths" as the units they stand for', () => {
    expect(period('how many members joined this yr')).toEqual(period('how many members joined this year'));
    expect(period('revenue last yr')).toEqual({ from: '2025-01-01', to: '2026-01-01', description: 'in 2025' });
    expect(period('sessions booked last qtr')).toEqual(period('sessions booked last quarter'));
    expect(period('members who joined in the past 2 wks')).toEqual(period('members who joined in the past 2 weeks'));
    expect(period('bookings over the last 3 mths')).toEqual(period('bookings over the last 3 months'));
    expect(period('how many yrs has she been a member')).toBeNull();
  });
});

describe('date phrases: days', () => {
  it('reads a day written out, with the word before it', () => {
    expect(period('orders placed on 2026-03-14')).toEqual({ from: '2026-03-14', to: '2026-03-15', description: 'on 2026-03-14' });
    expect(period('members who joined after June 30, 2025')).toEqual({ from: '2025-07-01', to: null, description: 'after 2025-06-30' });
    expect(period('loans before 1 March 2026')).toEqual({ from: null, to: '2026-03-01', description: 'before 2026-03-01' });
    expect(period('sessions since March 3rd, 2026')).toEqual({ from: '2026-03-03', to: null, description: 'since 2026-03-03' });
    expect(period('fees until 2026-01-31')).toEqual({ from: null, to: '2026-02-01', description: 'up to 2026-01-31' });
  });

  it('reads two days as a range with both ends included, and a day without a year as the latest one up to today', () => {
    expect(period('visits between March 1 and March 31, 2026')).toEqual({
      from: '2026-03-01',
      to: '2026-04-01',
      description: 'from 2026-03-01 to 2026-03-31',
    });
    expect(period('visits from 2025-12-01 to 2026-01-15')).toMatchObject({ from: '2025-12-01', to: '2026-01-16' });
    // Today is 2026-06-15: the 4th of July is last year's, the 1st of June this year's.
    expect(period('sales on the 4th of July')).toMatchObject({ from: '2025-07-04', to: '2025-07-05' });
    expect(period('sales on June 1')).toMatchObject({ from: '2026-06-01', to: '2026-06-02' });
    expect(period('sales on June 1', null)).toMatchObject({ needsToday: true });
  });

  it('reads holidays of a fixed date ("Christmas Day 2025", "New Year\'s Eve", "Halloween")', () => {
    expect(period('visits on Christmas Day 2025')).toEqual({ from: '2025-12-25', to: '2025-12-26', description: 'on 2025-12-25' });
    expect(period("orders on New Year's Day 2026")).toMatchObject({ from: '2026-01-01', to: '2026-01-02' });
    // Without a year, the latest one up to today (2026-06-15).
    expect(period('sales on Halloween')).toMatchObject({ from: '2025-10-31', to: '2025-11-01' });
  });

  it('leaves what is no day alone: an impossible date, "may" the verb, a month with its year', () => {
    // "Feb 30" is no day: the month alone is read, and the other numbers stay to be placed.
    expect(findDateRange(wordsOf('orders on Feb 30 2026'), today)).toMatchObject({ wordIndices: [2] });
    expect(period('How many members may renew 5 loans')).toBeNull();
    expect(period('orders in March 2026')).toEqual({ from: '2026-03-01', to: '2026-04-01', description: 'in March 2026' });
  });
});

describe('date phrases: a span back from today', () => {
  it('reads "more than N units ago" as before today minus the span, and "less than" / "within" as after it', () => {
    expect(period('How many members joined more than 2 years ago?')).toEqual({
      from: null,
      to: '2024-06-15',
      description: 'more than 2 years ago',
    });
    expect(period('Members who joined at least 3 months ago')).toMatchObject({ from: null, to: '2026-03-16' });
    expect(period('How many members joined less than 6 months ago?')).toMatchObject({ from: '2025-12-16', to: '2026-06-16' });
    expect(period('Sessions booked within 10 days ago')).toMatchObject({ from: '2026-06-06', to: '2026-06-16' });
    expect(period('How many members joined more than 2 years ago?', null)).toMatchObject({ needsToday: true });
    // "older than 30 days" of rows is as long ago; in years it is an age of people, no period.
    expect(period('How many bookings are older than 30 days?')).toMatchObject({ from: null, to: '2026-05-16' });
    expect(period('How many members are older than 40 years?')).toBeNull();
  });

  it('reads a time served ("10 years of experience", "with us for over 5 years") as a start before today minus it', () => {
    expect(period('How many coaches have more than 10 years of experience?')).toMatchObject({ from: null, to: '2016-06-15' });
    expect(period('Which coaches have at least 4 years of service?')).toMatchObject({ from: null, to: '2022-06-16' });
    expect(period('Which members have been with us for over 5 years?')).toMatchObject({ from: null, to: '2021-06-15' });
    // A number of years compared with no time served is no period ("members older than 30 years").
    expect(period('How many members are older than 30 years?')).toBeNull();
  });
});
