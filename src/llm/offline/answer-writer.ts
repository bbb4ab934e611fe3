import type { Execution } from './conversation-reader.ts';
import type { QueryPlan } from './query-plan.ts';

/** How many labels a list answer names before "and N more". */
const namedInList = 5;

/**
 * A one-sentence answer built from the result rows: a count ("There are 383 customers in Germany." /
 * "383 customers live in Germany."), an aggregate ("The average salary is 245000.50."), a ranking ("The top 3
 * products by revenue are A (…), B (…), C (…)."), a grouping, or a list (the count and the first values).
 */
export function writeAnswer(question: string, plan: QueryPlan | null, execution: Execution): string {
  const sentence = writeSentence(question, plan, execution);
  // Never let a cut result read as the whole of it.
  return execution.truncated && execution.rowCount > 1
    ? `${sentence} These are the first ${execution.rowCount} rows; there are or may be more.`
    : sentence;
}

function writeSentence(question: string, plan: QueryPlan | null, execution: Execution): string {
  const rows = execution.rows.map((row) => (Array.isArray(row) ? row : Object.values(row as Record<string, unknown>)));
  if (execution.rowCount === 0 || rows.length === 0) return 'No rows match the question.';
  const single = rows.length === 1 && rows[0].length === 1;
  if (!plan) {
    if (single && /how many/i.test(question)) return countSentence(question, null, format(rows[0][0]));
    if (single) return `The answer is ${format(rows[0][0])}.`;
    if (rows.length === 1) return `The answer is ${labelled(rows[0])}.`;
    return `The query returned ${execution.rowCount} rows: ${rows.slice(0, namedInList).map(labelled).join(', ')}${execution.rowCount > namedInList ? ' and more' : ''}.`;
  }
  const labelCount = plan.dimensions.length;
  switch (plan.kind) {
    case 'count':
      return countSentence(question, plan, format(rows[0][rows[0].length - 1]));
    case 'aggregate': {
      // (A date's highest is its latest: "the latest order date".)
      const dated = (name: string) => /_(date|at|on)$/.test(name);
      const what = (name: string) =>
        ({
          total: 'total',
          average: 'average',
          maximum: dated(name) ? 'latest' : 'highest',
          minimum: dated(name) ? 'earliest' : 'lowest',
        })[name.split('_')[0]] ?? 'total';
      const measure = plan.measureWords.replace(/^(the|total|average)\s+/i, '');
      // "the lowest and highest prices": each aggregate selected, in order, after the first.
      const names = [plan.measureName, ...(plan.pairedMeasures ?? []).map((paired) => paired.name)];
      const values = rows[0].slice(rows[0].length - names.length);
      const more = names
        .slice(1)
        .map((name, index) => ` and the ${what(name)} is ${format(values[index + 1])}`)
        .join('');
      return `The ${what(names[0])} ${measure}${plan.dateDescription ? ` ${plan.dateDescription}` : ''} is ${format(values[0])}${more}.`;
    }
    case 'top': {
      if (plan.measureHidden) return rankedItemsSentence(plan, rows, execution.rowCount);
      if (plan.partition) {
        const groupCount = plan.partition.dimensions.length;
        const perGroup = rows
          .slice(0, namedInList)
          .map(
            (row) =>
              `${row.slice(0, groupCount).map(format).join(' ')}: ${row.slice(groupCount, -1).map(format).join(' ')} (${format(row[row.length - 1])})`,
          );
        const more = execution.rowCount > namedInList ? ` and ${execution.rowCount - namedInList} more` : '';
        return `By ${plan.groupWords || 'group'}, the ${plan.direction === 'DESC' ? 'highest' : 'lowest'} ${plan.measureWords || plan.measureName.replace(/_/g, ' ')}: ${perGroup.join('; ')}${more}.`;
      }
      const entries = rows.map((row) => `${row.slice(0, labelCount).map(format).join(' ')} (${format(row[labelCount])})`);
      if (rows.length === 1) {
        const label = rows[0].slice(0, labelCount).map(format).join(' ');
        return `${capitalize(label)} has the ${plan.direction === 'DESC' ? 'highest' : 'lowest'} ${plan.measureWords || plan.measureName.replace(/_/g, ' ')} (${format(rows[0][labelCount])}).`;
      }
      return `The top ${rows.length} ${plan.subjectWords} by ${plan.measureWords || plan.measureName.replace(/_/g, ' ')} are ${joinList(entries)}.`;
    }
    case 'grouped': {
      // "Which month of 2024 had the most appointments?": only the periods were selected.
      if (plan.measureHidden) {
        const period = plan.groupWords || 'period';
        const most = `${plan.direction === 'DESC' ? 'most' : 'fewest'} ${plan.subjectWords || plan.measureName.replace(/_/g, ' ')}`;
        const periods = rows.slice(0, namedInList).map((row) => row.map(format).join(' '));
        return rows.length === 1
          ? `The ${period} with the ${most} is ${periods[0]}.`
          : `The ${rows.length} ${period}s with the ${most} are ${joinList(periods)}.`;
      }
      const entries = rows
        .slice(0, namedInList)
        .map((row) => `${row.slice(0, labelCount).map(format).join(' ')} (${row.slice(labelCount).map(format).join(', ')})`);
      const more = execution.rowCount > namedInList ? ` and ${execution.rowCount - namedInList} more` : '';
      const by = plan.groupWords || plan.dimensions.map((dimension) => dimension.column.replace(/_/g, ' ')).join(' and ');
      return `By ${by}, the ${plan.measureWords || plan.measureName.replace(/_/g, ' ')} is ${entries.join(', ')}${more}.`;
    }
    case 'ratio':
      return `The ratio is ${format(rows[0][rows[0].length - 1])}${plan.dateDescription ? ` ${plan.dateDescription}` : ''}.`;
    case 'share':
      if (plan.measure?.kind === 'share' && plan.measure.fraction)
        return `The share of the ${plan.subjectWords || 'rows'}${plan.dateDescription ? ` ${plan.dateDescription}` : ''} that match is ${format(rows[0][rows[0].length - 1])}.`;
      return `${format(rows[0][rows[0].length - 1])}% of the ${plan.subjectWords || 'rows'}${plan.dateDescription ? ` ${plan.dateDescription}` : ''} match.`;
    case 'list': {
      const values = rows.slice(0, namedInList).map((row) => row.map(format).join(' '));
      const more = execution.rowCount > namedInList ? ` and ${execution.rowCount - namedInList} more` : '';
      return execution.rowCount === 1
        ? `There is one: ${values[0]}.`
        : `There are ${execution.rowCount} ${plan.subjectWords || 'results'}: ${values.join(', ')}${more}.`;
    }
  }
}

/** A ranking whose rows hold the ranked items only (the measure ordered them): "The top 3 products by revenue are A, B and C." */
function rankedItemsSentence(plan: QueryPlan, rows: unknown[][], rowCount: number): string {
  const measure = plan.measureWords || plan.measureName.replace(/_/g, ' ');
  const highest = plan.direction === 'DESC' ? 'highest' : 'lowest';
  const items = rows.slice(0, namedInList).map((row) => row.map(format).join(' '));
  const more = rowCount > namedInList ? ` and ${rowCount - namedInList} more` : '';
  if (plan.partition) return `By ${plan.groupWords || 'group'}, the ${highest} ${measure}: ${items.join('; ')}${more}.`;
  if (rows.length === 1) return `${capitalize(items[0])} has the ${highest} ${measure}.`;
  return `The top ${rows.length} ${plan.subjectWords} by ${measure} are ${joinList(items)}${more}.`;
}

/** A row as its labels with the last value in brackets: `card (177128.79)`. */
function labelled(row: unknown[]): string {
  return row.length === 1 ? format(row[0]) : `${row.slice(0, -1).map(format).join(' ')} (${format(row[row.length - 1])})`;
}

function countSentence(question: string, plan: QueryPlan | null, count: string): string {
  const rest = /how many\s+(.*?)[?.!]*$/i.exec(question.trim())?.[1];
  // "Among the customers in Japan, how many of them belong to …": "Among the customers in Japan, 10 belong to …".
  const among = /^among\s+(.+?),\s*how many\s+(?:of\s+)?(?:them|these|those)\s+(.*?)[?.!]*$/i.exec(question.trim());
  if (among) return `Among ${among[1]}, ${count} ${among[2]}.`;
  if (rest) {
    const thereMatch = /^(.*?)\s+(?:are|were|is|was) there\b(.*)$/i.exec(rest);
    if (thereMatch) return `There ${count === '1' ? 'is' : 'are'} ${count} ${thereMatch[1]}${thereMatch[2]}.`;
    if (!/\b(did|do|does|have|has|had)\b/i.test(rest.split(/\s+/).slice(0, 3).join(' '))) return `${count} ${rest}.`;
  }
  return `The number of ${plan?.subjectWords || 'matching rows'}${plan?.dateDescription ? ` ${plan.dateDescription}` : ''} is ${count}.`;
}

function joinList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function format(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'string' && /^-?\d+\.\d{3,}$/.test(value)) return Number(value).toFixed(2);
  return String(value);
}

function capitalize(text: string): string {
  return text ? `${text[0].toUpperCase()}${text.slice(1)}` : text;
}
