import { numberOf, type Word } from './question-words.ts';

/** Words of a time served: "10 years of experience". */
const tenureWords = new Set(['experience', 'service', 'tenure', 'membership', 'employment']);

/** Openers of a span back from today ("more than 2 years ago"): older means before today minus the span. */
const agoOpeners: ReadonlyArray<{ words: string[]; older: boolean; inclusive?: boolean }> = [
  { words: ['more', 'than'], older: true },
  { words: ['over'], older: true },
  { words: ['at', 'least'], older: true, inclusive: true },
  { words: ['less', 'than'], older: false },
  { words: ['under'], older: false },
  { words: ['within'], older: false },
  { words: ['fewer', 'than'], older: false },
  { words: ['older', 'than'], older: true },
];

/** A date range a question mentions: `from` inclusive, `to` exclusive, as `YYYY-MM-DD`; either may be open. */
export interface DateRange {
  from: string | null;
  to: string | null;
  /** The words of the phrase, so they are not linked to the schema again. */
  wordIndices: number[];
  /** A human reading, e.g. `in June 2025`. */
  description: string;
  /** A time served ("10 years of experience"): the rows' start date must take it, never a birth date. */
  served?: boolean;
}

/** Holidays that fall on the same day every year, as the question names them (the possessive "s" is a word). */
const fixedHolidays: ReadonlyArray<{ words: string[]; month: number; day: number }> = [
  { words: ['christmas', 'day'], month: 11, day: 25 },
  { words: ['christmas', 'eve'], month: 11, day: 24 },
  { words: ['boxing', 'day'], month: 11, day: 26 },
  { words: ['new', 'year', 's', 'day'], month: 0, day: 1 },
  { words: ['new', 'years', 'day'], month: 0, day: 1 },
  { words: ['new', 'year', 's', 'eve'], month: 11, day: 31 },
  { words: ['new', 'years', 'eve'], month: 11, day: 31 },
  { words: ['valentine', 's', 'day'], month: 1, day: 14 },
  { words: ['valentines', 'day'], month: 1, day: 14 },
  { words: ['halloween'], month: 9, day: 31 },
];

/** One day as the question writes it: its year when written, its month (0–11) and day, and the index after its words. */
interface DayWords {
  year: number | null;
  month: number;
  day: number;
  end: number;
}

/** A date phrase that needs today's date when the prompt gives none. */
export interface UnresolvedDate {
  needsToday: true;
  wordIndices: number[];
}

/** Short forms of the units of time, as typed in a hurry. */
const shortUnits: Readonly<Record<string, string>> = {
  yr: 'year',
  yrs: 'years',
  qtr: 'quarter',
  qtrs: 'quarters',
  wk: 'week',
  wks: 'weeks',
  mth: 'month',
  mths: 'months',
};

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const monthAbbreviations = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Finds the first date phrase of a question: "last month" (the previous calendar month), "next month" (the
 * calendar month after this one), "next week", "next quarter", "next year", "the next 30 days" (from today on), "this month",
 * "this year", "last year", "in 2024", "in March 2025", "in March" (the latest March up to today), "since …",
 * "the last 30 days", "last week" (the previous Monday to Sunday), "this week", "yesterday", "today", "last
 * quarter" (the previous calendar quarter), "this quarter", "Q1 2025", "the first half of 2025", "H2 2024".
 * Relative phrases are resolved against `today`; without it they
 * come back unresolved.
 */
export function findDateRange(words: readonly Word[], today: string | null): DateRange | UnresolvedDate | null {
  // "this yr", "last qtr", "past 2 wks": the short forms people type read as the units.
  const lower = words.map((word) => shortUnits[word.lower] ?? word.lower);
  for (let index = 0; index < words.length; index += 1) {
    const word = lower[index];
    const next = lower[index + 1];
    const since = index > 0 && lower[index - 1] === 'since';
    const relative = (
      length: number,
      make: (now: Date) => [Date | null, Date | null],
      description: (now: Date) => string,
    ): DateRange | UnresolvedDate => {
      const indices = range(index, length);
      if (!today) return { needsToday: true, wordIndices: indices };
      const now = parseDate(today);
      const [from, to] = make(now);
      return { from: from ? formatDate(from) : null, to: to ? formatDate(to) : null, wordIndices: indices, description: description(now) };
    };
    if ((word === 'last' || word === 'previous' || word === 'past') && next === 'month') {
      return relative(
        2,
        (now) => [addMonths(monthStart(now), -1), monthStart(now)],
        (now) => `in ${monthName(addMonths(monthStart(now), -1))}`,
      );
    }
    // "last week": the previous calendar week, Monday to Sunday (as "last month" is the previous calendar month).
    if ((word === 'last' || word === 'previous' || word === 'past') && next === 'week') {
      return relative(
        2,
        (now) => [addDays(weekStart(now), -7), weekStart(now)],
        (now) => `in the week of ${formatDate(addDays(weekStart(now), -7))}`,
      );
    }
    if ((word === 'this' || word === 'current') && next === 'week') {
      return relative(
        2,
        (now) => [weekStart(now), addDays(now, 1)],
        () => 'this week so far',
      );
    }
    if ((word === 'this' || word === 'current') && next === 'month') {
      return relative(
        2,
        (now) => [monthStart(now), addDays(now, 1)],
        (now) => `in ${monthName(now)} so far`,
      );
    }
    if ((word === 'this' || word === 'current') && next === 'year') {
      return relative(
        2,
        (now) => [new Date(Date.UTC(now.getUTCFullYear(), 0, 1)), addDays(now, 1)],
        (now) => `in ${now.getUTCFullYear()} so far`,
      );
    }
    if ((word === 'last' || word === 'previous' || word === 'past') && next === 'year') {
      return relative(
        2,
        (now) => [new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 1)), new Date(Date.UTC(now.getUTCFullYear(), 0, 1))],
        (now) => `in ${now.getUTCFullYear() - 1}`,
      );
    }
    // "last quarter": the previous calendar quarter; "this quarter": the current one so far.
    if ((word === 'last' || word === 'previous' || word === 'past') && next === 'quarter' && !isYear(lower[index + 2], lower[index + 3])) {
      return relative(
        2,
        (now) => [addMonths(quarterStart(now), -3), quarterStart(now)],
        (now) => `in ${quarterName(addMonths(quarterStart(now), -3))}`,
      );
    }
    if ((word === 'this' || word === 'current') && next === 'quarter') {
      return relative(
        2,
        (now) => [quarterStart(now), addDays(now, 1)],
        (now) => `in ${quarterName(quarterStart(now))} so far`,
      );
    }
    if ((word === 'next' || word === 'coming') && next === 'month') {
      return relative(
        2,
        (now) => [addMonths(monthStart(now), 1), addMonths(monthStart(now), 2)],
        (now) => `in ${monthName(addMonths(monthStart(now), 1))}`,
      );
    }
    // "next week": the calendar week after this one, Monday to Sunday; "next quarter": the calendar quarter after this one.
    if ((word === 'next' || word === 'coming') && next === 'week') {
      return relative(
        2,
        (now) => [addDays(weekStart(now), 7), addDays(weekStart(now), 14)],
        (now) => `in the week of ${formatDate(addDays(weekStart(now), 7))}`,
      );
    }
    if ((word === 'next' || word === 'coming') && next === 'quarter') {
      return relative(
        2,
        (now) => [addMonths(quarterStart(now), 3), addMonths(quarterStart(now), 6)],
        (now) => `in ${quarterName(addMonths(quarterStart(now), 3))}`,
      );
    }
    if ((word === 'next' || word === 'coming') && next === 'year') {
      return relative(
        2,
        (now) => [new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1)), new Date(Date.UTC(now.getUTCFullYear() + 2, 0, 1))],
        (now) => `in ${now.getUTCFullYear() + 1}`,
      );
    }
    if ((word === 'next' || word === 'coming') && /^\d+$/.test(next ?? '') && /^(day|week|month)s?$/.test(lower[index + 2] ?? '')) {
      const count = Number(next);
      const unit = lower[index + 2].replace(/s$/, '');
      return relative(
        3,
        (now) => [now, unit === 'month' ? addMonths(now, count) : addDays(now, count * (unit === 'week' ? 7 : 1))],
        () => `in the next ${count} ${lower[index + 2]}`,
      );
    }
    // "the last 3 months", "the past 2 quarters": a window ending today (a quarter is three months), from the same
    // day N units back, as the SQL idiom `col >= CURRENT_DATE - INTERVAL '30' DAY` reads it ("the last 30 days" on
    // 2025-07-01 starts on 2025-06-01; it started a day later until 2026-12-07, when three of our question sets,
    // written by different hands, had all taken the idiom's reading).
    if ((word === 'last' || word === 'past') && /^\d+$/.test(next ?? '') && /^(day|week|month|quarter)s?$/.test(lower[index + 2] ?? '')) {
      const count = Number(next);
      const unit = lower[index + 2].replace(/s$/, '');
      return relative(
        3,
        (now) => [
          unit === 'month' || unit === 'quarter'
            ? addMonths(now, -count * (unit === 'quarter' ? 3 : 1))
            : addDays(now, -count * (unit === 'week' ? 7 : 1)),
          addDays(now, 1),
        ],
        () => `in the last ${count} ${lower[index + 2]}`,
      );
    }
    // "registered more than 2 years ago", "ordered less than 6 months ago": a date before (or after) today minus the span,
    // as `col < CURRENT_DATE - INTERVAL '2' YEAR` reads it.
    const agoOpener = agoOpeners.find((opener) => opener.words.every((openerWord, offset) => lower[index + offset] === openerWord));
    if (agoOpener) {
      const at = index + agoOpener.words.length;
      const count = numberOf(words[at]);
      const unit = (lower[at + 1] ?? '').replace(/s$/, '');
      // "more than 10 years of experience", "with us for over 5 years": a time since the rows' start, read as a date before
      // today minus the span (the start date is the rows' own, as for any period).
      const tenureOf = lower[at + 2] === 'of' && tenureWords.has(lower[at + 3] ?? '');
      // ("have not ordered for more than 6 months" is a time since the last order, which this is not: negated, no reading.)
      const negated = lower.slice(0, index).some((earlier) => ['not', 'never', 'no', "didn't", "haven't", "hasn't"].includes(earlier));
      const tenureFor = index > 0 && lower[index - 1] === 'for' && lower[at + 2] !== 'ago' && !negated;
      if (count !== null && ['month', 'year'].includes(unit) && agoOpener.older && (tenureOf || tenureFor)) {
        const first = tenureFor ? index - 1 : index;
        return {
          ...(today
            ? {
                from: null,
                to: formatDate(addDays(addMonths(parseDate(today), -count * (unit === 'year' ? 12 : 1)), agoOpener.inclusive ? 1 : 0)),
                description: `for ${agoOpener.words.join(' ')} ${count} ${lower[at + 1]}`,
                served: true,
              }
            : { needsToday: true as const }),
          wordIndices: range(first, at + (tenureOf ? 4 : 2) - first),
        } as DateRange | UnresolvedDate;
      }
      // "orders older than 30 days": as "more than 30 days ago" (in years it is an age of people, read elsewhere).
      const olderThan = agoOpener.words[0] === 'older' && ['day', 'week', 'month'].includes(unit);
      if (count !== null && ['day', 'week', 'month', 'year'].includes(unit) && (lower[at + 2] === 'ago' || olderThan)) {
        const back = (now: Date) =>
          unit === 'month' || unit === 'year'
            ? addMonths(now, -count * (unit === 'year' ? 12 : 1))
            : addDays(now, -count * (unit === 'week' ? 7 : 1));
        return relative(
          agoOpener.words.length + (olderThan && lower[at + 2] !== 'ago' ? 2 : 3),
          (now) => (agoOpener.older ? [null, addDays(back(now), agoOpener.inclusive ? 1 : 0)] : [addDays(back(now), 1), addDays(now, 1)]),
          () => `${agoOpener.words.join(' ')} ${count} ${lower[at + 1]}${olderThan ? '' : ' ago'}`,
        );
      }
    }
    if (word === 'yesterday')
      return relative(
        1,
        (now) => [addDays(now, -1), now],
        () => 'yesterday',
      );
    if (word === 'today' && index > 0)
      return relative(
        1,
        (now) => [now, addDays(now, 1)],
        () => 'today',
      );
    const day = dayRange(index);
    if (day) return day;
    const month = monthIndex(word);
    // "between March and June 2021", "from January to March 2025": whole months, both ends included.
    const lastMonth = monthIndex(lower[index + 2] ?? '');
    if (
      month !== null &&
      lastMonth !== null &&
      lastMonth >= month &&
      ((lower[index - 1] === 'between' && next === 'and') ||
        (lower[index - 1] === 'from' && ['to', 'through', 'until'].includes(next ?? ''))) &&
      /^\d{4}$/.test(lower[index + 3] ?? '')
    ) {
      const year = Number(lower[index + 3]);
      const start = new Date(Date.UTC(year, month, 1));
      const end = new Date(Date.UTC(year, lastMonth + 1, 1));
      return {
        from: formatDate(start),
        to: formatDate(end),
        wordIndices: range(index - 1, 5),
        description: `from ${monthName(start)} to ${monthName(new Date(Date.UTC(year, lastMonth, 1)))}`,
      };
    }
    if (month !== null && (word !== 'may' || /^\d{4}$/.test(next ?? '') || ['in', 'since', 'during'].includes(lower[index - 1] ?? ''))) {
      if (/^\d{4}$/.test(next ?? '')) {
        const start = new Date(Date.UTC(Number(next), month, 1));
        const bounded = openEnded(index, formatDate(start), formatDate(addMonths(start, 1)), monthName(start), 2);
        if (bounded) return bounded;
        return {
          from: formatDate(start),
          to: since ? null : formatDate(addMonths(start, 1)),
          wordIndices: since ? range(index - 1, 3) : range(index, 2),
          description: `${since ? 'since' : 'in'} ${monthName(start)}`,
        };
      }
      const indices = since ? range(index - 1, 2) : range(index, 1);
      if (!today) return { needsToday: true, wordIndices: indices };
      const now = parseDate(today);
      const year = month <= now.getUTCMonth() ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
      const start = new Date(Date.UTC(year, month, 1));
      return {
        from: formatDate(start),
        to: since ? null : formatDate(addMonths(start, 1)),
        wordIndices: indices,
        description: `${since ? 'since' : 'in'} ${monthName(start)}`,
      };
    }
    // "the first half of 2025", "H2 2024": six months; "Q1 2025", "the first quarter of 2025": three.
    const part =
      yearPart(index, /^h([12])$/, 'half', halfOrdinals, 6, 'H') ?? yearPart(index, /^q([1-4])$/, 'quarter', quarterOrdinals, 3, 'Q');
    if (part) return part;
    // "between 2020 and 2022", "from 2020 to 2022": both years whole.
    if (
      /^(19|20)\d\d$/.test(word) &&
      ((lower[index - 1] === 'between' && next === 'and') ||
        (lower[index - 1] === 'from' && ['to', 'through', 'until'].includes(next ?? ''))) &&
      /^(19|20)\d\d$/.test(lower[index + 2] ?? '') &&
      Number(lower[index + 2]) >= Number(word)
    ) {
      return {
        from: `${word}-01-01`,
        to: `${Number(lower[index + 2]) + 1}-01-01`,
        wordIndices: range(index - 1, 4),
        description: `from ${word} to ${lower[index + 2]}`,
      };
    }
    // "the 1980s": the ten years of a decade.
    if (/^(19|20)\d0$/.test(word) && next === 's' && !words[index].isMoney) {
      return {
        from: `${word}-01-01`,
        to: `${Number(word) + 10}-01-01`,
        wordIndices: range(index, 2),
        description: `in the ${word}s`,
      };
    }
    if (/^(19|20)\d\d$/.test(word) && !words[index].isMoney && !isQuantity(index)) {
      const year = Number(word);
      const bounded = openEnded(index, `${year}-01-01`, `${year + 1}-01-01`, String(year), 1);
      if (bounded) return bounded;
      return {
        from: `${year}-01-01`,
        to: since ? null : `${year + 1}-01-01`,
        wordIndices: since ? range(index - 1, 2) : range(index, 1),
        description: `${since ? 'since' : 'in'} ${year}`,
      };
    }
  }
  return null;

  /**
   * A day written out, with the word before it: "on June 30, 2025", "after 2025-06-30", "before 1 March 2025",
   * "since March 3rd", "between March 1 and March 31, 2025", "from 2025-01-01 to 2025-03-31" (both ends included).
   * A day without a year is the latest such day up to today. Null when no day starts at `index`.
   */
  function dayRange(index: number): DateRange | UnresolvedDate | null {
    const first = readDay(index);
    if (!first) return null;
    const before = lower[index - 1] ?? '';
    const joiner = lower[first.end] ?? '';
    const second =
      (before === 'between' && joiner === 'and') || (before === 'from' && ['to', 'through', 'until', 'till'].includes(joiner))
        ? readDay(first.end + 1)
        : null;
    const end = second?.end ?? first.end;
    // "by June 30", "up to June 30", "more than …": bounds this reading does not write; the day's numbers stay to be placed.
    if (['by', 'to', 'than', 'within'].includes(before)) return null;
    // "on or after June 30", "on or before June 30": the day itself included.
    const orOn = ['after', 'before'].includes(before) && lower[index - 2] === 'or' && lower[index - 3] === 'on';
    const opener = ['on', 'after', 'before', 'since', 'from', 'until', 'through', 'till', 'between'].includes(before)
      ? orOn
        ? [index - 3, index - 2, index - 1]
        : [index - 1]
      : [];
    const wordIndices = [...opener, ...range(index, end - index)];
    // A day without a year takes the year of the other end, else the latest such day up to today.
    const year = first.year ?? second?.year ?? null;
    if (year === null && !today) return { needsToday: true, wordIndices };
    const resolve = (day: DayWords, fallbackYear: number | null): Date => {
      if (day.year !== null) return new Date(Date.UTC(day.year, day.month, day.day));
      if (fallbackYear !== null) return new Date(Date.UTC(fallbackYear, day.month, day.day));
      // The latest such day up to today that exists (a 29th of February only in a leap year).
      const now = parseDate(today!);
      for (let year = now.getUTCFullYear(); ; year -= 1) {
        const candidate = new Date(Date.UTC(year, day.month, day.day));
        if (candidate.getUTCMonth() === day.month && candidate <= now) return candidate;
      }
    };
    const start = resolve(first, second?.year ?? null);
    const name = formatDate(start);
    if (second) {
      const last = resolve(second, first.year);
      if (last < start) return null;
      return { from: name, to: formatDate(addDays(last, 1)), wordIndices, description: `from ${name} to ${formatDate(last)}` };
    }
    const next = formatDate(addDays(start, 1));
    if (before === 'after' && orOn) return { from: name, to: null, wordIndices, description: `on or after ${name}` };
    if (before === 'before' && orOn) return { from: null, to: next, wordIndices, description: `on or before ${name}` };
    if (before === 'after') return { from: next, to: null, wordIndices, description: `after ${name}` };
    if (before === 'before') return { from: null, to: name, wordIndices, description: `before ${name}` };
    if (['until', 'through', 'till'].includes(before)) return { from: null, to: next, wordIndices, description: `up to ${name}` };
    if (before === 'since' || before === 'from') return { from: name, to: null, wordIndices, description: `since ${name}` };
    return { from: name, to: next, wordIndices, description: `on ${name}` };
  }

  /**
   * The words of one day from `index`: "2025-06-30" (three numbers), "June 30, 2025" / "June 30th" / "Jun 30", or
   * "30 June 2025" / "30th of June". Null when they do not make a real day.
   */
  function readDay(index: number): DayWords | null {
    const dayOf = (text: string | undefined) => {
      const match = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(text ?? '');
      return match ? Number(match[1]) : null;
    };
    const yearOf = (text: string | undefined) => (/^(19|20)\d\d$/.test(text ?? '') ? Number(text) : null);
    const valid = (year: number | null, month: number, day: number) => {
      const date = new Date(Date.UTC(year ?? 2000, month, day));
      return date.getUTCMonth() === month && date.getUTCDate() === day;
    };
    // "2025-06-30": a year, a month and a day in a row (the dashes are not words).
    const isoYear = yearOf(lower[index]);
    if (isoYear !== null && /^\d{1,2}$/.test(lower[index + 1] ?? '') && /^\d{1,2}$/.test(lower[index + 2] ?? '')) {
      const month = Number(lower[index + 1]) - 1;
      const day = Number(lower[index + 2]);
      if (month >= 0 && month < 12 && valid(isoYear, month, day)) return { year: isoYear, month, day, end: index + 3 };
    }
    // "Christmas Day 2024", "New Year's Eve": holidays of a fixed date.
    const holiday = fixedHolidays.find((candidate) => candidate.words.every((word, offset) => lower[index + offset] === word));
    if (holiday) {
      const after = index + holiday.words.length;
      const year = yearOf(lower[after]);
      return { year, month: holiday.month, day: holiday.day, end: year === null ? after : after + 1 };
    }
    // "June 30, 2025", "Jun 30th": "may" only when written as the month's name.
    const named = monthIndex(lower[index]);
    if (named !== null && (lower[index] !== 'may' || words[index].text === 'May')) {
      const day = dayOf(lower[index + 1]);
      if (day !== null && valid(yearOf(lower[index + 2]), named, day)) {
        const year = yearOf(lower[index + 2]);
        return { year, month: named, day, end: index + (year === null ? 2 : 3) };
      }
    }
    // "30 June 2025", "30th of June".
    const leading = dayOf(lower[index]);
    if (leading !== null && !words[index].isMoney) {
      const at = lower[index + 1] === 'of' ? index + 2 : index + 1;
      const month = monthIndex(lower[at] ?? '');
      if (month !== null && (lower[at] !== 'may' || words[at].text === 'May') && valid(yearOf(lower[at + 1]), month, leading)) {
        const year = yearOf(lower[at + 1]);
        return { year, month, day: leading, end: at + (year === null ? 1 : 2) };
      }
    }
    return null;
  }

  /**
   * "more than 2000 dollars", "over 2000 minutes": a number compared, or followed by a unit, is an amount, not a year.
   */
  function isQuantity(index: number): boolean {
    return comparedBefore.has(lower[index - 1] ?? '') || quantityUnits.has(lower[index + 1] ?? '');
  }

  /**
   * "after 2020" starts when 2020 ends; "before 2020" ends when it starts; "until / through 2020" ends when
   * it ends. Null when no such word precedes the period.
   */
  /**
   * A numbered part of a named year: "H2 2024" / "Q1 2025" (`short`), or "the second half of 2024" / "the
   * first quarter of 2025" (an ordinal before `noun`, "of" optional). Null when no year follows.
   */
  function yearPart(
    index: number,
    short: RegExp,
    noun: string,
    ordinals: Readonly<Record<string, string>>,
    months: number,
    letter: string,
  ): DateRange | null {
    const word = lower[index];
    const named = lower[index + 1] === noun;
    const number = short.exec(word)?.[1] ?? (named ? ordinals[word] : undefined);
    if (!number) return null;
    const yearAt = named ? (lower[index + 2] === 'of' ? index + 3 : index + 2) : index + 1;
    if (!/^(19|20)\d\d$/.test(lower[yearAt] ?? '')) return null;
    const start = new Date(Date.UTC(Number(lower[yearAt]), (Number(number) - 1) * months, 1));
    return {
      from: formatDate(start),
      to: formatDate(addMonths(start, months)),
      wordIndices: range(index, yearAt - index + 1),
      description: `in ${letter}${number} ${lower[yearAt]}`,
    };
  }

  function openEnded(index: number, start: string, end: string, name: string, length: number): DateRange | null {
    const before = lower[index - 1] ?? '';
    // "from 2020 onward", "2020 or later", "2020 and after": from its start on; "2020 or earlier": up to its end.
    const following = lower[index + length] ?? '';
    const joined = ['or', 'and'].includes(following) ? (lower[index + length + 1] ?? '') : '';
    const from = before === 'from' ? [index - 1] : [];
    if (['onward', 'onwards'].includes(following) || ['later', 'after', 'beyond'].includes(joined))
      return {
        from: start,
        to: null,
        wordIndices: [...from, ...range(index, length + (joined ? 2 : 1))],
        description: `from ${name} on`,
      };
    if (['earlier', 'before'].includes(joined))
      return { from: null, to: end, wordIndices: [...from, ...range(index, length + 2)], description: `up to the end of ${name}` };
    const indices = [index - 1, ...range(index, length)];
    if (before === 'after') return { from: end, to: null, wordIndices: indices, description: `after ${name}` };
    if (before === 'before') return { from: null, to: start, wordIndices: indices, description: `before ${name}` };
    if (before === 'until' || before === 'through')
      return { from: null, to: end, wordIndices: indices, description: `until the end of ${name}` };
    return null;
  }
}

/** Whether `word` is a year, or `word` is "of" and `after` a year ("last quarter of 2024" is Q4 2024). */
function isYear(word: string | undefined, after: string | undefined): boolean {
  const year = /^(19|20)\d\d$/;
  return year.test(word ?? '') || (word === 'of' && year.test(after ?? ''));
}

/** The first day of the calendar quarter of `date`. */
function quarterStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
}

/** "Q2 2025" for a quarter's first day. */
function quarterName(start: Date): string {
  return `Q${Math.floor(start.getUTCMonth() / 3) + 1} ${start.getUTCFullYear()}`;
}

/** Ordinals of a half ("the second half of 2024"), as the half's number. */
const halfOrdinals: Readonly<Record<string, string>> = { first: '1', second: '2', last: '2' };
/** Words of a comparison right before a number ("more than 2000", "over 2000"). */
const comparedBefore = new Set(['than', 'over', 'under', 'above', 'below', 'least', 'most', 'exceeding']);
/** Units after a number that make it an amount ("2000 dollars", "2000 units"). */
const quantityUnits = new Set(
  'dollar dollars buck bucks usd euro euros pound pounds unit units item items piece pieces minute minutes hour hours day days'.split(' '),
);

/** Ordinals of a quarter ("the first quarter of 2025"), as the quarter's number. */
const quarterOrdinals: Readonly<Record<string, string>> = { first: '1', second: '2', third: '3', fourth: '4', last: '4' };

function monthIndex(word: string): number | null {
  const full = months.indexOf(word);
  if (full >= 0) return full;
  const short = monthAbbreviations.indexOf(word);
  return short >= 0 && word !== 'mar' ? short : null;
}

function range(start: number, length: number): number[] {
  return Array.from({ length }, (_, offset) => start + offset);
}

function parseDate(text: string): Date {
  const [year, month, day] = text.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The Monday of a date's week. */
function weekStart(date: Date): Date {
  return addDays(date, -((date.getUTCDay() + 6) % 7));
}

function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function addMonths(date: Date, count: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, date.getUTCDate()));
}

function addDays(date: Date, count: number): Date {
  return new Date(date.getTime() + count * 86_400_000);
}

/** A `YYYY-MM-DD` date moved by a number of days. */
export function shiftDate(date: string, days: number): string {
  return formatDate(addDays(parseDate(date), days));
}

function monthName(date: Date): string {
  const name = months[date.getUTCMonth()];
  return `${name[0].toUpperCase()}${name.slice(1)} ${date.getUTCFullYear()}`;
}
