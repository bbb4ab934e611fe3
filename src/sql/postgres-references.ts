import { SqlRejectedError } from '../errors/index.ts';
import type { PolicyRules, StatementReferences } from './guard-policy.ts';

type Node = Record<string, unknown>;

const namesOf = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((item) => String((item as { String?: { sval?: string } })?.String?.sval ?? '')) : [];

// Casting text to these types looks names up in the system catalogs ('pg_authid'::regclass).
const catalogLookupTypes = new Set([
  'regclass',
  'regcollation',
  'regconfig',
  'regdictionary',
  'regnamespace',
  'regoper',
  'regoperator',
  'regproc',
  'regprocedure',
  'regrole',
  'regtype',
]);

// CURRENT_DATE and friends are SQLValueFunction nodes, not calls; they are checked under these names.
const valueFunctionNames: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

const sampleMethods = new Set(['bernoulli', 'system']);

/**
 * Resolves every relation a Postgres statement reads and checks it, and every function it calls,
 * against the policy. CTE names shadow relations only inside their scope, the way the server resolves
 * them: a WITH list is visible in its query and set-operation branches, and in nested subqueries; each
 * CTE body sees the earlier CTEs of its list (all of them, itself included, under RECURSIVE). A
 * qualified name is never a CTE. Aliases name nothing that can be read, so they are ignored.
 */
export function checkPostgresReferences(statement: Node, rules: PolicyRules): StatementReferences {
  const walker = new ScopeWalker(rules);
  walker.visit(statement, new Set());
  return { relations: walker.relations, functions: walker.functions };
}

class ScopeWalker {
  readonly relations: string[] = [];
  readonly functions: string[] = [];

  constructor(private readonly rules: PolicyRules) {}

  visit(value: unknown, scope: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, scope);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const node = child as Node;
      switch (key) {
        case 'SelectStmt':
          this.select(node, scope);
          continue;
        case 'RangeVar':
          this.relation(node, scope);
          continue;
        case 'FuncCall':
          this.call(namesOf(node.funcname));
          break;
        case 'SQLValueFunction':
          this.call([valueFunctionNames[String(node.op)] ?? String(node.op).toLowerCase()]);
          break;
        case 'typeName':
          this.type(namesOf(node?.names));
          break;
        case 'A_Expr':
          this.operator(namesOf(node.name));
          break;
        // `x OPERATOR(s.=) ANY (…)` and `ORDER BY x USING OPERATOR(s.<)` name operators outside A_Expr.
        case 'operName':
        case 'useOp':
          this.operator(namesOf(child));
          break;
        case 'RangeTableSample':
          this.sampleMethod(namesOf(node.method));
          break;
      }
      this.visit(child, scope);
    }
  }

  /** One SELECT (or set operation): its WITH list scopes its bodies, branches and subqueries. */
  private select(select: Node, scope: ReadonlySet<string>): void {
    let inner = scope;
    const withClause = select.withClause as { ctes?: Array<{ CommonTableExpr?: Node }>; recursive?: boolean } | undefined;
    if (withClause?.ctes) {
      const ctes = withClause.ctes.map((entry) => entry.CommonTableExpr ?? {});
      const names = ctes.map((cte) => String(cte.ctename ?? ''));
      ctes.forEach((cte, index) => {
        this.visit(cte, new Set([...scope, ...(withClause.recursive ? names : names.slice(0, index))]));
      });
      inner = new Set([...scope, ...names]);
    }
    for (const [key, child] of Object.entries(select)) {
      if (key === 'withClause') continue;
      // Set-operation branches are SelectStmt fields, not wrapped nodes.
      if (key === 'larg' || key === 'rarg') this.select(child as Node, inner);
      else this.visit(child, inner);
    }
  }

  private relation(range: Node, scope: ReadonlySet<string>): void {
    const name = String(range.relname ?? '');
    const schema = typeof range.schemaname === 'string' ? range.schemaname : null;
    if (typeof range.catalogname === 'string') {
      throw new SqlRejectedError(`reading ${range.catalogname}.${schema}.${name} is not allowed: cross-database references are refused`, {
        relation: `${range.catalogname}.${schema}.${name}`,
      });
    }
    if (schema === null && scope.has(name)) return;
    this.relations.push(this.rules.relation(schema, name));
  }

  private call(names: string[]): void {
    const name = names[names.length - 1] ?? '';
    this.rules.function(names.length > 1 ? names.slice(0, -1).join('.') : null, name);
    this.functions.push(name.toLowerCase());
  }

  private type(names: string[]): void {
    const name = (names[names.length - 1] ?? '').toLowerCase();
    if (catalogLookupTypes.has(name)) {
      throw new SqlRejectedError(`casts to ${name} are not allowed: they look names up in the system catalogs`, { type: name });
    }
  }

  private operator(names: string[]): void {
    if (names.length > 1 && names[0] !== 'pg_catalog') {
      throw new SqlRejectedError(`the operator ${names.join('.')} is not allowed: operators may be qualified only with pg_catalog`, {
        operator: names.join('.'),
      });
    }
  }

  private sampleMethod(names: string[]): void {
    if (names.length !== 1 || !sampleMethods.has(names[0])) {
      throw new SqlRejectedError(`TABLESAMPLE ${names.join('.')} is not allowed: use BERNOULLI or SYSTEM`, { method: names.join('.') });
    }
  }
}
