import type { ColumnReference } from './query-plan.ts';
import type { AggregateFunction } from './question-shape.ts';
import { columnReference as reference, type CatalogueColumn, type CatalogueTable } from './schema-catalogue.ts';
import type { MeasureConcept } from './schema-linker.ts';

/** The column types a sum or an average can take. */
export const numericFamilies = new Set(['integer', 'decimal']);

/** The output name of an aggregate of a column: `average_salary`, `total_fee`. */
export function measureName(aggregateFunction: AggregateFunction, column: string): string {
  const prefix = { COUNT: 'count', SUM: 'total', AVG: 'average', MIN: 'minimum', MAX: 'maximum' }[aggregateFunction];
  return column.startsWith(`${prefix}_`) ? column : `${prefix}_${column}`;
}

/** How strongly a column's name says money. */
export function moneyName(name: string): number {
  if (/revenue|sales/.test(name)) return 6;
  if (/amount|total|fee/.test(name)) return 5;
  if (/salary|wage/.test(name)) return 4;
  if (/^price$/.test(name)) return 3;
  if (/price/.test(name)) return 2.5;
  if (/cost/.test(name)) return 1;
  return 0;
}

/** How well a numeric column fits a measure concept; null when it is no money column. */
export function moneyScore(column: CatalogueColumn, concept: MeasureConcept): number | null {
  if (!numericFamilies.has(column.family) || column.primaryKey || column.references) return null;
  const byName = moneyName(column.name);
  const inDollars = /dollar|\busd\b|\$/i.test(column.comment) && !/fraction/i.test(column.comment);
  if (byName === 0 && !inDollars) return null;
  if (concept === 'price')
    return /^price$/.test(column.name) ? 6 : /price/.test(column.name) ? 5 : /cost/.test(column.name) ? 2 : byName > 0 ? 3 : 1;
  // Revenue, money, spending: a unit price or cost is not an amount of money taken.
  if (/price|cost/.test(column.name)) return 0.5;
  return byName > 0 ? byName : 2;
}

/** Quantity × unit price × (1 − discount) for an order-line-like table. */
export function lineAmountOf(
  table: CatalogueTable,
): { quantity: ColumnReference; price: ColumnReference; discount: ColumnReference | null } | null {
  const quantity = table.columns.find((column) => /^(quantity|qty|units)$/.test(column.name) && numericFamilies.has(column.family));
  const price = table.columns.find((column) => /price/.test(column.name) && numericFamilies.has(column.family));
  if (!quantity || !price) return null;
  const discount = table.columns.find(
    (column) => /discount/.test(column.name) && numericFamilies.has(column.family) && /fraction/i.test(column.comment),
  );
  return { quantity: reference(quantity), price: reference(price), discount: discount ? reference(discount) : null };
}
