import type { ColumnReference, Condition, MeasureExpression, QueryPlan } from './query-plan.ts';
import { splitQualified, type SchemaCatalogue } from './schema-catalogue.ts';

/**
 * Writes a plan as one SELECT in the given dialect: tables joined along the shortest foreign-key paths
 * from the base table, aliased and qualified when there is more than one, dates as portable literal
 * ranges (`col >= '2025-06-01' AND col < '2025-07-01'`), averages rounded to cents. With `plain` set
 * (a revision after an error) nothing is rounded.
 */
export function writeSql(
  plan: QueryPlan,
  catalogue: SchemaCatalogue,
  dialect: 'postgres' | 'mysql',
  options: { plain?: boolean } = {},
): string {
  const tables = [plan.base];
  const joins: string[] = [];
  const aliases = new Map<string, string>();
  const required = [...plan.joinTables];
  const addRequired = (column: ColumnReference | null | undefined) => {
    if (column && !required.includes(column.table)) required.push(column.table);
  };
  plan.dimensions.forEach(addRequired);
  plan.hiddenGroupKeys.forEach(addRequired);
  for (const condition of plan.conditions) addRequired(condition.kind === 'compare' ? condition.column : condition.column);
  if (plan.measure?.kind === 'column' || plan.measure?.kind === 'countDistinct') addRequired(plan.measure.column);
  if (plan.measure?.kind === 'lineAmount') addRequired(plan.measure.quantity);

  const pendingJoins: Array<{ table: string; on: [ColumnReference, ColumnReference] }> = [];
  for (const table of required) {
    if (tables.includes(table)) continue;
    const path = catalogue.joinPath(plan.base, table) ?? [];
    let current = plan.base;
    for (const step of path) {
      const next = step.forward ? step.edge.toTable : step.edge.fromTable;
      if (!tables.includes(next)) {
        tables.push(next);
        pendingJoins.push({
          table: next,
          on: [
            { table: step.edge.fromTable, column: step.edge.fromColumn },
            { table: step.edge.toTable, column: step.edge.toColumn },
          ],
        });
      }
      current = next;
    }
    void current;
  }
  const qualify = tables.length > 1;
  for (const table of tables) aliases.set(table, aliasFor(table, [...aliases.values()]));
  const tableSql = (table: string) => {
    const [schema, name] = splitQualified(table);
    const written = schema === 'public' ? name : `${schema}.${name}`;
    return qualify ? `${written} ${aliases.get(table)}` : written;
  };
  const column = (reference: ColumnReference) => (qualify ? `${aliases.get(reference.table)}.${reference.column}` : reference.column);
  for (const join of pendingJoins) joins.push(`JOIN ${tableSql(join.table)} ON ${column(join.on[0])} = ${column(join.on[1])}`);

  const measureSql = (measure: MeasureExpression): string => {
    switch (measure.kind) {
      case 'count':
        return 'COUNT(*)';
      case 'countDistinct':
        return `COUNT(DISTINCT ${column(measure.column)})`;
      case 'column': {
        if (!measure.function) return column(measure.column);
        const inner = `${measure.function}(${column(measure.column)})`;
        return measure.function === 'AVG' && !options.plain ? `ROUND(${inner}, 2)` : inner;
      }
      case 'lineAmount': {
        const amount = `${column(measure.quantity)} * ${column(measure.price)}${measure.discount ? ` * (1 - ${column(measure.discount)})` : ''}`;
        return options.plain ? `${measure.function}(${amount})` : `ROUND(${measure.function}(${amount}), 2)`;
      }
    }
  };
  const conditionSql = (condition: Condition): string => {
    switch (condition.kind) {
      case 'equals':
        return condition.values.length === 1
          ? `${column(condition.column)} = ${literal(condition.values[0])}`
          : `${column(condition.column)} IN (${condition.values.map(literal).join(', ')})`;
      case 'boolean':
        return `${column(condition.column)} = ${condition.value ? 'TRUE' : 'FALSE'}`;
      case 'null':
        return `${column(condition.column)} IS ${condition.isNull ? '' : 'NOT '}NULL`;
      case 'compare': {
        const target = condition.column ? column(condition.column) : measureSql(condition.measure ?? { kind: 'count' });
        return condition.upper !== null
          ? `${target} BETWEEN ${condition.value} AND ${condition.upper}`
          : `${target} ${condition.operator} ${condition.value}`;
      }
      case 'dateRange': {
        const parts: string[] = [];
        if (condition.from) parts.push(`${column(condition.column)} >= '${condition.from}'`);
        if (condition.to) parts.push(`${column(condition.column)} < '${condition.to}'`);
        return parts.join(' AND ');
      }
    }
  };

  const where = plan.conditions.map(conditionSql);
  const from = [`FROM ${tableSql(plan.base)}`, ...joins].join(' ');
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  void dialect;

  if (plan.having) {
    const keys = plan.hiddenGroupKeys.map(column);
    return `SELECT COUNT(*) AS ${plan.measureName} FROM (SELECT ${keys.join(', ')} ${from}${whereSql} GROUP BY ${keys.join(', ')} HAVING ${conditionSql(plan.having)}) AS counted`;
  }
  const selects = plan.dimensions.map(column);
  const aggregated = plan.measure !== null && (plan.measure.kind !== 'column' || plan.measure.function !== null);
  if (plan.measure) selects.push(`${measureSql(plan.measure)} AS ${plan.measureName}`);
  let sql = `SELECT ${plan.distinct ? 'DISTINCT ' : ''}${selects.join(', ')} ${from}${whereSql}`;
  if (aggregated && plan.dimensions.length > 0)
    sql += ` GROUP BY ${[...plan.hiddenGroupKeys.map(column), ...plan.dimensions.map(column)].join(', ')}`;
  if (plan.orderBy === 'measure' && plan.measure) {
    const tieBreak = plan.dimensions.length ? `, ${plan.dimensions.map(column).join(', ')}` : '';
    sql += ` ORDER BY ${plan.measureName} ${plan.direction}${tieBreak}`;
  } else if (plan.orderBy === 'dimensions' && plan.dimensions.length > 0) sql += ` ORDER BY ${plan.dimensions.map(column).join(', ')}`;
  if (plan.limit !== null) sql += ` LIMIT ${plan.limit}`;
  return sql;
}

/** A SQL string literal. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A short alias from the initials of a table's name words (`order_items` → `oi`), made unique. */
function aliasFor(table: string, taken: string[]): string {
  const name = splitQualified(table)[1];
  const base =
    name
      .split(/_+/)
      .filter(Boolean)
      .map((part) => part[0])
      .join('')
      .toLowerCase() || 't';
  let alias = base;
  for (let suffix = 2; taken.includes(alias) || ['as', 'on', 'by', 'or', 'in', 'is', 'to', 'do'].includes(alias); suffix += 1)
    alias = `${base}${suffix}`;
  return alias;
}
