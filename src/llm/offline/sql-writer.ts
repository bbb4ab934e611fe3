import { tablesOfPlan, type ColumnReference, type Condition, type MeasureExpression, type QueryPlan } from './query-plan.ts';
import { splitQualified, type SchemaCatalogue } from './schema-catalogue.ts';

/**
 * Writes a plan as one SELECT in the given dialect: tables joined along the shortest foreign-key paths
 * from the base table, aliased and qualified when there is more than one, dates as portable literal
 * ranges (`col >= '2025-06-01' AND col < '2025-07-01'`), averages, sums of line amounts, shares and ratios
 * rounded to cents. With `plain` set (a revision after an error) averages and sums are not rounded; with
 * `unrounded` (the prompt says to round only where the question asks) nothing is.
 */
export function writeSql(
  plan: QueryPlan,
  catalogue: SchemaCatalogue,
  dialect: 'postgres' | 'mysql',
  options: { plain?: boolean; unrounded?: boolean } = {},
): string {
  const rounds = !options.plain && !options.unrounded;
  const rounded = (sql: string) => (options.unrounded ? sql : `ROUND(${sql}, 2)`);
  const tables = [plan.base];
  const joins: string[] = [];
  const aliases = new Map<string, string>();
  const required = tablesOfPlan(plan).slice(1);

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
  /** A table's name as written: without the default schema. */
  const written = (table: string) => {
    const [schema, name] = splitQualified(table);
    return schema === 'public' ? name : `${schema}.${name}`;
  };
  const tableSql = (table: string) => (qualify ? `${written(table)} ${aliases.get(table)}` : written(table));
  // The parent rows of a tree table whose roots the plan groups by, joined once each (LEFT: a root has none).
  const parentAliases = new Map<string, string>();
  const parentJoins: string[] = [];
  for (const reference of [...plan.dimensions, ...plan.hiddenGroupKeys]) {
    if (!reference.root || parentAliases.has(reference.table)) continue;
    const alias = aliasFor(reference.table, [...aliases.values(), ...parentAliases.values()]);
    parentAliases.set(reference.table, alias);
    parentJoins.push(
      `LEFT JOIN ${written(reference.table)} ${alias} ON ${alias}.${reference.root.keyColumn} = ${aliases.get(reference.table)}.${reference.root.parentColumn}`,
    );
  }
  const column = (reference: ColumnReference) => {
    const own = qualify ? `${aliases.get(reference.table)}.${reference.column}` : reference.column;
    const parent = reference.root && parentAliases.get(reference.table);
    return parent ? `COALESCE(${parent}.${reference.column}, ${own})` : own;
  };
  /** Knowledge SQL names columns `table.column`; with aliases, the table name becomes its alias. */
  const knowledgeSql = (text: string) => {
    if (!qualify) return text;
    let rewritten = text;
    for (const [table, alias] of aliases) {
      const name = splitQualified(table)[1];
      rewritten = rewritten.replace(
        new RegExp(`(?<![\\w.'"])(?:${escapeName(table)}|${escapeName(name)})\\.(?=[A-Za-z_])`, 'g'),
        `${alias}.`,
      );
    }
    return rewritten;
  };
  /**
   * The edge by which rows of a tree point at their parent (`categories.parent_id` → `categories.id`), when a value
   * of that table's named column filters the rows of another table joined to it: a category named holds its
   * subcategories' rows too. Null otherwise (the tree's own rows, its keys, a table of no tree).
   */
  const treeEdge = (reference: ColumnReference) =>
    reference.table === plan.base || reference.bucket
      ? null
      : (catalogue.edges.find(
          (edge) =>
            edge.fromTable === reference.table &&
            edge.toTable === reference.table &&
            edge.fromColumn !== reference.column &&
            edge.toColumn !== reference.column,
        ) ?? null);
  const joinKeyword = plan.leftJoins ? 'LEFT JOIN' : 'JOIN';
  for (const join of pendingJoins) joins.push(`${joinKeyword} ${tableSql(join.table)} ON ${column(join.on[0])} = ${column(join.on[1])}`);
  joins.push(...parentJoins);

  /** A measure; `bare`, without the rounding to cents the prompt's default gives it (a rounding asked is added). */
  const measureSql = (measure: MeasureExpression, bare = false): string => {
    switch (measure.kind) {
      case 'count':
        return 'COUNT(*)';
      case 'countDistinct':
        return `COUNT(DISTINCT ${column(measure.column)})`;
      case 'column': {
        if (!measure.function) return column(measure.column);
        const inner = `${measure.function}(${column(measure.column)})`;
        return measure.function === 'AVG' && rounds && !bare ? `ROUND(${inner}, 2)` : inner;
      }
      case 'lineAmount': {
        const amount = `${column(measure.quantity)} * ${column(measure.price)}${measure.discount ? ` * (1 - ${column(measure.discount)})` : ''}`;
        return rounds && !bare ? `ROUND(${measure.function}(${amount}), 2)` : `${measure.function}(${amount})`;
      }
      case 'expression':
        return knowledgeSql(measure.sql);
      case 'age': {
        // Whole years lived on the prompt's today, as an age comparison counts them.
        const years =
          dialect === 'mysql'
            ? `TIMESTAMPDIFF(YEAR, ${column(measure.column)}, '${measure.today}')`
            : `EXTRACT(YEAR FROM AGE(DATE '${measure.today}', ${column(measure.column)}))`;
        const inner = `${measure.function}(${years})`;
        return measure.function === 'AVG' && rounds && !bare ? `ROUND(${inner}, 2)` : inner;
      }
      case 'share': {
        const share = `${measure.fraction ? '1.0' : '100.0'} * SUM(CASE WHEN ${measure.conditions.map(conditionSql).join(' AND ')} THEN 1 ELSE 0 END) / COUNT(*)`;
        return bare ? share : rounded(share);
      }
      case 'countWhere':
        return `SUM(CASE WHEN ${measure.conditions.map(conditionSql).join(' AND ')} THEN 1 ELSE 0 END)`;
      case 'ratio': {
        const ratio = `1.0 * ${measureSql(measure.numerator)} / NULLIF(${measureSql(measure.denominator)}, 0)`;
        return bare ? ratio : rounded(ratio);
      }
      case 'shareOfTotal': {
        const part = measureSql(measure.of, true);
        const share = `100.0 * ${part} / SUM(${part}) OVER ()`;
        return bare ? share : rounded(share);
      }
    }
  };
  /** "rounded to 2 decimals": the figure as selected, rounded as asked (counts are whole already). */
  const countKinds = new Set<MeasureExpression['kind']>(['count', 'countDistinct', 'countWhere']);
  const roundAsked = (measure: MeasureExpression): boolean => plan.roundTo !== undefined && !countKinds.has(measure.kind);
  const selectedMeasureSql = (measure: MeasureExpression): string =>
    roundAsked(measure) ? `ROUND(${withoutRound(measureSql(measure, true))}, ${plan.roundTo})` : measureSql(measure);
  /** `= 'a'` or `IN ('a', 'b')`: the right side of a test for the named values. */
  const namedValues = (values: string[]) =>
    values.length === 1 ? `= ${literal(values[0], dialect)}` : `IN (${values.map((value) => literal(value, dialect)).join(', ')})`;
  /** "products in the Electronics category": the rows of a category and of its subcategories. */
  const inTree = (
    condition: Extract<Condition, { kind: 'equals' }>,
    tree: NonNullable<ReturnType<typeof treeEdge>>,
    columnOf: (reference: ColumnReference) => string,
  ): string => {
    const named = namedValues(condition.values);
    const parent = columnOf({ table: tree.fromTable, column: tree.fromColumn });
    const either = `${columnOf(condition.column)} ${named} OR (${parent} IS NOT NULL AND ${parent} IN (SELECT ${tree.toColumn} FROM ${written(tree.toTable)} WHERE ${condition.column.column} ${named}))`;
    return condition.negated ? `NOT (${either})` : `(${either})`;
  };
  const conditionSql = (condition: Condition): string => {
    switch (condition.kind) {
      case 'equals': {
        if (condition.childrenOf) {
          return `${column({ table: condition.column.table, column: condition.childrenOf.parentColumn })} IN (SELECT ${condition.childrenOf.keyColumn} FROM ${written(condition.column.table)} WHERE ${condition.column.column} ${namedValues(condition.values)})`;
        }
        const tree = treeEdge(condition.column);
        if (tree) return inTree(condition, tree, column);
        return condition.values.length === 1
          ? `${column(condition.column)} ${condition.negated ? '<>' : '='} ${literal(condition.values[0], dialect)}`
          : `${column(condition.column)} ${condition.negated ? 'NOT IN' : 'IN'} (${condition.values.map((value) => literal(value, dialect)).join(', ')})`;
      }
      case 'sql':
        return `(${knowledgeSql(condition.sql)})`;
      case 'relatedRows': {
        const innerAliases = new Map<string, string>();
        for (const table of [condition.table, ...(condition.joins ?? []).map((join) => join.table)])
          innerAliases.set(table, aliasFor(table, [...aliases.values(), ...innerAliases.values()]));
        const innerColumn = (reference: ColumnReference) => `${innerAliases.get(reference.table)}.${reference.column}`;
        const joined = (condition.joins ?? [])
          .map(
            (join) =>
              ` JOIN ${written(join.table)} ${innerAliases.get(join.table)} ON ${innerColumn(join.on[0])} = ${innerColumn(join.on[1])}`,
          )
          .join('');
        const innerSql = (inner: Condition): string => {
          const tree = inner.kind === 'equals' ? treeEdge(inner.column) : null;
          if (inner.kind === 'equals' && tree) return inTree(inner, tree, innerColumn);
          if (inner.kind === 'equals')
            return inner.values.length === 1
              ? `${innerColumn(inner.column)} ${inner.negated ? '<>' : '='} ${literal(inner.values[0], dialect)}`
              : `${innerColumn(inner.column)} ${inner.negated ? 'NOT IN' : 'IN'} (${inner.values.map((value) => literal(value, dialect)).join(', ')})`;
          if (inner.kind === 'dateRange')
            return [
              inner.from && `${innerColumn(inner.column)} >= '${inner.from}'`,
              inner.to && `${innerColumn(inner.column)} < '${inner.to}'`,
            ]
              .filter(Boolean)
              .join(' AND ');
          throw new Error(`A ${inner.kind} condition inside NOT EXISTS is not written.`);
        };
        const outer = qualify ? column(condition.target) : `${tableSql(condition.target.table)}.${condition.target.column}`;
        const from = `FROM ${written(condition.table)} ${innerAliases.get(condition.table)}${joined}`;
        const key = `${innerAliases.get(condition.table)}.${condition.foreignKey}`;
        // "the share of customers who ordered from Audio": the related keys are read once (an uncorrelated subquery
        // the engines hash), not the joins run again for every row as a correlated EXISTS in a CASE would be.
        if (condition.present) {
          const counted = condition.atLeast
            ? ` GROUP BY ${key} HAVING COUNT(DISTINCT ${innerColumn(condition.atLeast.key)}) ${condition.atLeast.operator} ${condition.atLeast.value}`
            : '';
          return `${outer} IN (SELECT ${key} ${from}${condition.inner?.length ? ` WHERE ${condition.inner.map(innerSql).join(' AND ')}` : ''}${counted})`;
        }
        const where = [`${key} = ${outer}`, ...(condition.inner ?? []).map(innerSql)];
        return `NOT EXISTS (SELECT 1 ${from} WHERE ${where.join(' AND ')})`;
      }
      case 'picked':
        // Through a derived table: MySQL and MariaDB take no LIMIT right inside IN (…).
        return `${column(condition.column)} IN (SELECT ${condition.plan.dimensions[0].column} FROM (${writeSql(condition.plan, catalogue, dialect, options)}) AS picked)`;
      case 'columnPair':
        return `${column(condition.left)} ${condition.equal ? '=' : '<>'} ${column(condition.right)}`;
      case 'boolean':
        return `${column(condition.column)} = ${condition.value ? 'TRUE' : 'FALSE'}`;
      case 'null':
        return `${column(condition.column)} IS ${condition.isNull ? '' : 'NOT '}NULL`;
      case 'compare': {
        const target = condition.column ? column(condition.column) : measureSql(condition.measure ?? { kind: 'count' });
        if (condition.times) return `${target} ${condition.operator} ${condition.value} * ${column(condition.times)}`;
        if (condition.averageOfRows) {
          const { table, column: summed, groupBy } = condition.averageOfRows;
          return `${target} ${condition.operator} (SELECT AVG(per_row) FROM (SELECT SUM(${summed}) AS per_row FROM ${written(table)} GROUP BY ${groupBy}) per_rows)`;
        }
        if (condition.againstAverage && condition.averageWithin) {
          // Each group's average computed once and joined (uncorrelated, so the engines hash it): a correlated subquery
          // per row ran out of time on the embedded database over some thousand orders.
          const { table, column: measured } = condition.againstAverage;
          const group = condition.averageWithin.column;
          const key = catalogue.table(table)?.primaryKey;
          if (key?.length === 1) {
            const peers = `SELECT ${group} AS peer_group, AVG(${measured}) AS peer_average FROM ${written(table)} GROUP BY ${group}`;
            const own = qualify ? column({ table, column: key[0] }) : `${tableSql(table)}.${key[0]}`;
            return `${own} IN (SELECT peer.${key[0]} FROM ${written(table)} peer JOIN (${peers}) peers ON peers.peer_group = peer.${group} WHERE peer.${measured} ${condition.operator} peers.peer_average)`;
          }
          // (The outer row's column named by its table even without aliases: inside, the bare name would be the peer's.)
          const own = qualify ? column(condition.averageWithin) : `${tableSql(table)}.${group}`;
          return `${target} ${condition.operator} (SELECT AVG(peer.${measured}) FROM ${written(table)} peer WHERE peer.${group} = ${own})`;
        }
        if (condition.againstAverage)
          return `${target} ${condition.operator} (SELECT AVG(${condition.againstAverage.column}) FROM ${written(condition.againstAverage.table)})`;
        return condition.upper !== null
          ? `${target} BETWEEN ${condition.value} AND ${condition.upper}`
          : `${target} ${condition.operator} ${condition.value}`;
      }
      case 'dateRange': {
        const parts: string[] = [];
        const target = condition.aggregate ? `${condition.aggregate}(${column(condition.column)})` : column(condition.column);
        if (condition.from) parts.push(`${target} >= '${condition.from}'`);
        if (condition.to) parts.push(`${target} < '${condition.to}'`);
        return parts.join(' AND ');
      }
    }
  };

  const where = plan.conditions.map(conditionSql);
  const from = [`FROM ${tableSql(plan.base)}`, ...joins].join(' ');
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';

  if (plan.having && plan.kind === 'list') {
    const keys = [...plan.hiddenGroupKeys, ...plan.dimensions].map(column);
    const order = plan.dimensions.length ? ` ORDER BY ${plan.dimensions.map(column).join(', ')}` : '';
    const shown =
      plan.havingShown && plan.having.kind === 'compare' && plan.having.measure
        ? [`${measureSql(plan.having.measure)} AS ${havingName(plan.having.measure)}`]
        : [];
    return `SELECT ${[...plan.dimensions.map(column), ...shown].join(', ')} ${from}${whereSql} GROUP BY ${keys.join(', ')} HAVING ${conditionSql(plan.having)}${order}${plan.limit !== null ? ` LIMIT ${plan.limit}` : ''}`;
  }
  // "For each country, how many customers placed at least 5 orders?": the rows kept by the HAVING, counted per group.
  if (plan.having && plan.kind === 'grouped' && plan.dimensions.length > 0) {
    const keys = [...plan.hiddenGroupKeys, ...plan.dimensions].map(column);
    const names = plan.dimensions.map((reference) => reference.column);
    const inner = `SELECT ${keys.join(', ')} ${from}${whereSql} GROUP BY ${keys.join(', ')} HAVING ${conditionSql(plan.having)}`;
    const order = ` ORDER BY ${plan.measureName} ${plan.direction}, ${names.join(', ')}`;
    return `SELECT ${names.join(', ')}, COUNT(*) AS ${plan.measureName} FROM (${inner}) AS counted GROUP BY ${names.join(', ')}${order}${plan.limit !== null ? ` LIMIT ${plan.limit}` : ''}`;
  }
  if (plan.having) {
    const keys = plan.hiddenGroupKeys.map(column);
    return `SELECT COUNT(*) AS ${plan.measureName} FROM (SELECT ${keys.join(', ')} ${from}${whereSql} GROUP BY ${keys.join(', ')} HAVING ${conditionSql(plan.having)}) AS counted`;
  }
  /** A dimension as selected: a column, or a period of a date column named after the period. */
  const dimensionExpression = (reference: ColumnReference) => {
    const value = column(reference);
    switch (reference.bucket) {
      case 'year':
        return `EXTRACT(YEAR FROM ${value})`;
      case 'monthOfYear':
        return `EXTRACT(MONTH FROM ${value})`;
      case 'month':
        return dialect === 'mysql' ? `CAST(DATE_FORMAT(${value}, '%Y-%m-01') AS DATE)` : `CAST(DATE_TRUNC('month', ${value}) AS DATE)`;
      case 'quarterOfYear':
        return `EXTRACT(QUARTER FROM ${value})`;
      case 'quarter':
        // The quarter's first day; MySQL and MariaDB have no DATE_TRUNC.
        return dialect === 'mysql'
          ? `MAKEDATE(YEAR(${value}), 1) + INTERVAL (QUARTER(${value}) - 1) QUARTER`
          : `CAST(DATE_TRUNC('quarter', ${value}) AS DATE)`;
      default:
        return value;
    }
  };
  const selectDimension = (reference: ColumnReference) =>
    reference.bucket
      ? `${dimensionExpression(reference)} AS ${periodName(reference.bucket)}`
      : reference.root
        ? `${column(reference)} AS ${reference.column}`
        : column(reference);
  if (plan.partition && plan.measure) return rankedPerGroup(plan.partition);
  if (plan.outerAggregate && plan.measure) {
    const keys = plan.hiddenGroupKeys.map(column).join(', ');
    const outer = `${plan.outerAggregate}(per_group.${plan.measureName})`;
    const outerSql =
      plan.roundTo !== undefined
        ? `ROUND(${outer}, ${plan.roundTo})`
        : plan.outerAggregate === 'AVG' && rounds
          ? `ROUND(${outer}, 2)`
          : outer;
    return `SELECT ${outerSql} AS ${plan.outerAggregate.toLowerCase()}_${plan.measureName} FROM (SELECT ${keys}, ${measureSql(plan.measure)} AS ${plan.measureName} ${from}${whereSql} GROUP BY ${keys}) AS per_group`;
  }
  const selects = plan.dimensions.map(selectDimension);
  const aggregated = plan.measure !== null && (plan.measure.kind !== 'column' || plan.measure.function !== null);
  // A measure that only orders the rows is written in the ORDER BY itself, not selected.
  const hidden = plan.measureHidden === true && plan.orderBy === 'measure' && plan.measure !== null && !plan.distinct;
  if (plan.measure && !hidden) selects.push(`${selectedMeasureSql(plan.measure)} AS ${plan.measureName}`);
  for (const paired of plan.pairedMeasures ?? []) selects.push(`${selectedMeasureSql(paired.expression)} AS ${paired.name}`);
  let sql = `SELECT ${plan.distinct ? 'DISTINCT ' : ''}${selects.join(', ')} ${from}${whereSql}`;
  if (aggregated && plan.dimensions.length > 0)
    sql += ` GROUP BY ${[...plan.hiddenGroupKeys.map(column), ...plan.dimensions.map(dimensionExpression)].join(', ')}`;
  if (plan.orderBy === 'measure' && plan.measure) {
    const tieBreak = plan.dimensions.length ? `, ${plan.dimensions.map(dimensionExpression).join(', ')}` : '';
    sql += ` ORDER BY ${hidden ? measureSql(plan.measure) : plan.measureName} ${plan.direction}${tieBreak}`;
  } else if (plan.orderBy === 'dimensions' && plan.dimensions.length > 0)
    sql += ` ORDER BY ${plan.dimensions.map(dimensionExpression).join(', ')}`;
  if (plan.limit !== null) sql += ` LIMIT ${plan.limit}`;
  if (plan.cumulative && plan.measure && plan.dimensions.length === 1 && plan.dimensions[0].bucket) {
    // Each period's figure, and it added to those before it, over the grouped rows in time order.
    const period = periodName(plan.dimensions[0].bucket);
    return `SELECT ${period}, ${plan.measureName}, SUM(${plan.measureName}) OVER (ORDER BY ${period}) AS running_total FROM (${sql}) AS periods ORDER BY ${period}`;
  }
  if (plan.change && plan.measure && plan.dimensions[0]?.bucket) {
    // The change from the period before, over the grouped rows in time order.
    const period = periodName(plan.dimensions[0].bucket);
    const labels = plan.dimensions.map((reference) => (reference.bucket ? period : reference.column));
    return `SELECT ${[...labels, ...(plan.changeOnly ? [] : [plan.measureName])].join(', ')}, ${plan.measureName} - LAG(${plan.measureName}) OVER (ORDER BY ${period}) AS change_from_previous FROM (${sql}) AS periods ORDER BY ${period}`;
  }
  return sql;

  /**
   * Top N per group: rank inside each group with a window function, keep the first N of each. Inner
   * columns get distinct names (`categories_name`, `products_name`) so the derived table is valid everywhere.
   */
  function rankedPerGroup(partition: NonNullable<QueryPlan['partition']>): string {
    const named = (reference: ColumnReference) => `${splitQualified(reference.table)[1]}_${reference.column}`;
    const labels = [...partition.dimensions, ...plan.dimensions];
    const measure = measureSql(plan.measure!);
    const aggregated = plan.measure!.kind !== 'column' || plan.measure!.function !== null;
    const partitionBy = (partition.keys.length ? partition.keys : partition.dimensions).map(column).join(', ');
    const inner = [
      ...labels.map((reference) => `${column(reference)} AS ${named(reference)}`),
      `${measure} AS ${plan.measureName}`,
      `RANK() OVER (PARTITION BY ${partitionBy} ORDER BY ${measure} ${plan.direction}) AS position`,
    ];
    const groupBy = aggregated
      ? ` GROUP BY ${[...partition.keys, ...partition.dimensions, ...plan.hiddenGroupKeys, ...plan.dimensions].map(column).join(', ')}`
      : '';
    const shownMeasure = roundAsked(plan.measure!)
      ? `ROUND(${plan.measureName}, ${plan.roundTo}) AS ${plan.measureName}`
      : plan.measureName;
    const outer = [...labels.map(named), ...(plan.measureHidden ? [] : [shownMeasure])];
    return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} ${from}${whereSql}${groupBy}) AS ranked WHERE position <= ${plan.limit ?? 1} ORDER BY ${[...partition.dimensions.map(named), `${plan.measureName} ${plan.direction}`, ...plan.dimensions.map(named)].join(', ')}`;
  }
}

/** The name of a count a list is filtered on, when it is shown: `appointments_count`. */
function havingName(measure: MeasureExpression): string {
  return measure.kind === 'countDistinct' ? `${splitQualified(measure.column.table)[1]}_count` : 'count';
}

/** An expression without the ROUND(…, n) around the whole of it (a metric's own rounding), else as it is. */
function withoutRound(sql: string): string {
  const match = /^ROUND\((.*), \d+\)$/is.exec(sql);
  if (!match) return sql;
  // The ROUND must enclose the whole expression: its parenthesis closes at the end, not before.
  let depth = 0;
  for (let index = 'ROUND'.length; index < sql.length; index += 1) {
    if (sql[index] === '(') depth += 1;
    else if (sql[index] === ')') depth -= 1;
    if (depth === 0) return index === sql.length - 1 ? match[1] : sql;
  }
  return sql;
}

function escapeName(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A SQL string literal. MySQL and MariaDB read a backslash in a literal as an escape (the connection keeps that mode),
 * so there it is doubled too: a stored value with a backslash is compared as it is.
 */
export function literal(value: string, dialect: 'postgres' | 'mysql' = 'postgres'): string {
  const quoted = value.replace(/'/g, "''");
  return `'${dialect === 'mysql' ? quoted.replace(/\\/g, '\\\\') : quoted}'`;
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

/** The column name of a period a result is grouped by. */
function periodName(bucket: NonNullable<ColumnReference['bucket']>): 'year' | 'quarter' | 'month' {
  return bucket === 'year' ? 'year' : bucket === 'quarter' || bucket === 'quarterOfYear' ? 'quarter' : 'month';
}
