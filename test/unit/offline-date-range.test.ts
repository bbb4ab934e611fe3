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
