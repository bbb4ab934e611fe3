import { SqlRejectedError } from '../errors/index.ts';
import type { PolicyRules, StatementReferences } from './guard-policy.ts';

type Node = Record<string, unknown>;

const reject = (reason: string): never => {
  throw new SqlRejectedError(reason);
};

/**
 * Resolves every relation a MySQL or MariaDB statement reads (node-sql-parser's tree) and checks it,
 * and every function it calls, against the policy. CTE scopes follow the servers: each CTE body sees
 * the earlier CTEs of its list, under RECURSIVE also itself on MySQL and the whole list on MariaDB
 * (which allows mutual recursion). A qualified name is never a CTE; aliases are ignored.
 *
 * The parser's own `tableList` is a second opinion: a relation it lists that the walk did not place
 * (a tree shape this walk does not know) refuses the statement rather than pass it unchecked.
 */
export function checkMysqlReferences(
  ast: Node,
  tableList: readonly string[],
  rules: PolicyRules,
  flavour: 'mysql' | 'mariadb',
): StatementReferences {
  const walker = new ScopeWalker(rules, flavour);
  walker.query(ast, new Set());
  for (const entry of tableList) {
    const [, database, table] = entry.split('::');
    const key = `${database === 'null' ? '' : database}.${table}`;
    if (!walker.placed.has(key))
      reject(`the statement reads ${database === 'null' ? table : `${database}.${table}`} in a way the guard cannot check`);
  }
  return { relations: walker.relations, functions: walker.functions };
}

const nameOf = (value: unknown): string =>
  typeof value === 'string' ? value : String((value as { value?: unknown } | null | undefined)?.value ?? '');

class ScopeWalker {
  readonly relations: string[] = [];
  readonly functions: string[] = [];
  /** `database.table` (database empty when unqualified) of every table reference met, CTEs included. */
  readonly placed = new Set<string>();

  constructor(
    private readonly rules: PolicyRules,
    private readonly flavour: 'mysql' | 'mariadb',
  ) {}

  /** One SELECT and the set-operation branches chained to it (`_next`). */
  query(select: Node, scope: ReadonlySet<string>): void {
    if (select?.type !== 'select') reject(`only reads are allowed inside a statement, not ${String(select?.type ?? 'this').toUpperCase()}`);
    let inner = scope;
    if (Array.isArray(select.with)) {
      const entries = select.with as Node[];
      const names = entries.map((entry) => nameOf(entry.name));
      const recursive = entries.some((entry) => entry.recursive === true);
      entries.forEach((entry, index) => {
        const visible = recursive && this.flavour === 'mariadb' ? names : recursive ? names.slice(0, index + 1) : names.slice(0, index);
        this.expression(entry.stmt, new Set([...scope, ...visible]));
      });
      inner = new Set([...scope, ...names]);
    }
    for (const [key, child] of Object.entries(select)) {
      if (key === 'with' || key === 'tableList' || key === 'columnList') continue;
      if (key === 'from') this.fromItems(child, inner);
      // A parenthesized first branch keeps its WITH to itself: `(WITH x … SELECT …) UNION SELECT … FROM x`.
      else if (key === '_next') this.query(child as Node, select.parentheses_symbol ? scope : inner);
      else this.expression(child, inner);
    }
  }

  private fromItems(items: unknown, scope: ReadonlySet<string>): void {
    if (items === null || items === undefined) return;
    for (const item of (Array.isArray(items) ? items : [items]) as Node[]) {
      if (item?.type === 'dual') continue;
      if (typeof item?.table === 'string' && item.expr == null) {
        this.relation(typeof item.db === 'string' && item.db !== '' ? item.db : null, item.table, scope);
      } else if (Array.isArray(item?.expr)) {
        this.fromItems(item.expr, scope);
      } else if (item?.expr && typeof item.expr === 'object') {
        this.expression(item.expr, scope);
      } else {
        reject('the FROM clause has an item the guard cannot check');
      }
      for (const [key, child] of Object.entries(item)) {
        if (key !== 'expr' && key !== 'db' && key !== 'table' && key !== 'as') this.expression(child, scope);
      }
    }
  }

  private relation(database: string | null, table: string, scope: ReadonlySet<string>): void {
    this.placed.add(`${database ?? ''}.${table}`);
    if (database === null && scope.has(table)) return;
    this.relations.push(this.rules.relation(database, table));
  }

  private expression(value: unknown, scope: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.expression(item, scope);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.ast && typeof node.ast === 'object') {
      this.query(node.ast as Node, scope);
      return;
    }
    if (node.type === 'select') {
      this.query(node, scope);
      return;
    }
    if (node.type === 'var') reject('system variables (@@…) and user variables (@…) are not allowed');
    if (node.type === 'function' && !isNotOperator(node.name)) this.call(node.name);
    if (node.type === 'aggr_func') this.call(node.name);
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'tableList' && key !== 'columnList') this.expression(child, scope);
    }
  }

  private call(name: unknown): void {
    let qualifier: string | null = null;
    let last: string;
    if (typeof name === 'string') last = name;
    else {
      const parts = ((name as { name?: unknown[] })?.name ?? []).map(nameOf);
      const schema = (name as { schema?: unknown })?.schema;
      const prefix = [...(schema ? [nameOf(schema)] : []), ...parts.slice(0, -1)];
      qualifier = prefix.length > 0 ? prefix.join('.') : null;
      last = parts[parts.length - 1] ?? '';
    }
    this.rules.function(qualifier, last);
    this.functions.push(last.toLowerCase());
  }
}

/**
 * node-sql-parser reads the operator in `NOT (a = 1)` as a call of a function named NOT. NOT is a reserved
 * word in MySQL and MariaDB, so unquoted it can only be the operator (a function of that name would have to
 * be written `` `not`(…) ``, which stays a call and meets the allow-list).
 */
function isNotOperator(name: unknown): boolean {
  const parts = (name as { name?: Array<{ type?: string; value?: unknown }>; schema?: unknown } | null)?.name;
  return (
    Array.isArray(parts) &&
    parts.length === 1 &&
    !(name as { schema?: unknown }).schema &&
    parts[0]?.type === 'default' &&
    typeof parts[0].value === 'string' &&
    parts[0].value.toLowerCase() === 'not'
  );
}
