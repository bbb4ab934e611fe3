import { useMemo, useState } from 'preact/hooks';
import type { ResultColumn } from '../api/api-types.ts';
import { formatCell, formatNumber } from '../common/format.ts';
import { numberOf } from './chart-rules.ts';

/** Rows shown at once; the rest behind "show all". */
const pageRows = 200;

function compareCells(left: unknown, right: unknown): number {
  if (left === right) return 0;
  if (left === null || left === undefined) return 1;
  if (right === null || right === undefined) return -1;
  const [leftNumber, rightNumber] = [numberOf(left), numberOf(right)];
  if (leftNumber !== null && rightNumber !== null) return leftNumber - rightNumber;
  return String(left).localeCompare(String(right));
}

/** The result rows: click a header to sort (again to reverse); the row count, and a note when the row cap cut them. */
export function ResultTable({
  columns,
  rows,
  truncated,
  rowCap,
}: {
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  rowCap?: number;
}) {
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const direction = sort.descending ? -1 : 1;
    return [...rows].sort((left, right) => direction * compareCells(left[sort.column], right[sort.column]));
  }, [rows, sort]);
  const shown = showAll ? sorted : sorted.slice(0, pageRows);
  const numeric = columns.map((column) => column.typeFamily === 'integer' || column.typeFamily === 'decimal');
  return (
    <div class="result-table">
      <p class="row-count" data-testid="row-count">
        {formatNumber(rows.length)} {rows.length === 1 ? 'row' : 'rows'}
        {truncated && (
          <span class="truncated-note" data-testid="truncated-note">
            {' '}
            — truncated: the datasource's row cap{rowCap ? ` (${formatNumber(rowCap)})` : ''} cut the result; ask for fewer rows or
            aggregate.
          </span>
        )}
      </p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              {columns.map((column, index) => (
                <th
                  key={index}
                  class={numeric[index] ? 'numeric' : ''}
                  title={`${column.dataType}: click to sort`}
                  aria-sort={sort?.column === index ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  onClick={() =>
                    setSort(sort?.column === index ? { column: index, descending: !sort.descending } : { column: index, descending: false })
                  }
                >
                  {column.name}
                  <span class="sort-mark">{sort?.column === index ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {row.map((cell, index) => (
                  <td key={index} class={numeric[index] ? 'numeric' : ''}>
                    {formatCell(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!showAll && rows.length > pageRows && (
        <button type="button" class="link-button" onClick={() => setShowAll(true)}>
          Show all {formatNumber(rows.length)} rows
        </button>
      )}
    </div>
  );
}
