import { SqlRejectedError } from '../errors/index.ts';
import { allowedFunctions } from './allowed-functions.ts';
import { deniedFunctionEntry } from './deny-list.ts';

/**
 * What one datasource may read: the guard accepts a statement only when every relation it reads and
 * every function it calls is inside this. The datasource builds it from its config and URL; the guard
 * only applies it.
 *
 * @example
 * // Postgres limited to public, with one extra function
 * { schemas: ['public'], defaultSchema: 'public', allowFunctions: ['fiscal_quarter'] }
 * // MySQL: a schema is a database; `shop_*` matches the sibling databases shop_analytics, …
 * { schemas: ['shop', 'shop_*'], defaultSchema: 'shop' }
 */
export interface GuardPolicy {
  /**
   * Schemas (on MySQL, databases) a statement may read from, compared exactly. An entry ending in `*`
   * matches by prefix (`shop_*`); `*` alone matches any schema. System catalogs and metadata schemas
   * are refused whatever this says.
   */
  readonly schemas: readonly string[];
  /**
   * The schema an unqualified name reads from: on Postgres the one the executor pins `search_path` to,
   * on MySQL the URL's database. Null when there is none: unqualified names are then refused.
   */
  readonly defaultSchema: string | null;
  /** When set, only these relations may be read: `schema.table`, or `table` for the default schema. */
  readonly tables?: readonly string[];
  /**
   * Functions allowed on top of the dialect's list (`allowed-functions.ts`): `name` for an unqualified
   * call, `schema.name` for a qualified one. The deny-list still wins.
   */
  readonly allowFunctions?: readonly string[];
}

export type GuardDialect = 'postgres' | 'mysql';

/** What a statement reads and calls, once every name in it passed the policy. */
export interface StatementReferences {
  /** Tables and views read, as written; CTE references are not relations. */
  relations: string[];
  /** Lower-case names of the functions called. */
  functions: string[];
}

const mysqlSystemSchemas = new Set(['information_schema', 'mysql', 'performance_schema', 'sys']);

/** Whether a schema (MySQL: database) is a system catalog or metadata schema, in any letter case. */
export function isSystemSchema(dialect: GuardDialect, schema: string): boolean {
  const lower = schema.toLowerCase();
  return dialect === 'postgres' ? lower === 'information_schema' || lower.startsWith('pg_') : mysqlSystemSchemas.has(lower);
}

/** Why a system catalog or metadata schema is refused; the agent's tools describe the schema instead. */
export const systemCatalogRule =
  'system catalogs and metadata schemas are off limits (the search_metadata and show_table tools describe the schema)';

const postgresSchemaQualifiers = new Set([null, 'pg_catalog']);

/** How many names an error message lists before it says how many more there are. */
const namesShown = 12;
const listNames = (names: readonly string[]) =>
  names.length <= namesShown ? names.join(', ') : `${names.slice(0, namesShown).join(', ')} and ${names.length - namesShown} more`;

/**
 * The policy's rules for one dialect, applied to each relation and function a walk of the parse tree
 * finds. Every refusal names the relation or function and the rule it broke (never a host or a
 * credential: the policy holds neither).
 */
export class PolicyRules {
  private readonly functions: ReadonlySet<string>;
  private readonly qualifiedFunctions: ReadonlySet<string>;
  private readonly tables: ReadonlySet<string> | null;

  constructor(
    readonly dialect: GuardDialect,
    readonly policy: GuardPolicy,
  ) {
    const fold = (name: string) => (dialect === 'mysql' ? name.toLowerCase() : name);
    const extra = policy.allowFunctions ?? [];
    this.functions = new Set([...allowedFunctions[dialect], ...extra.filter((entry) => !entry.includes('.')).map(fold)]);
    this.qualifiedFunctions = new Set(
      extra
        .filter((entry) => entry.includes('.'))
        .map((entry) => `${entry.slice(0, entry.lastIndexOf('.'))}.${fold(entry.slice(entry.lastIndexOf('.') + 1))}`),
    );
    this.tables = policy.tables
      ? new Set(policy.tables.map((entry) => (entry.includes('.') ? entry : `${policy.defaultSchema ?? ''}.${entry}`)))
      : null;
  }

  /**
   * Checks one relation a statement reads (never a CTE reference: the walk resolves those first) and
   * returns it as written. `schema` is null for an unqualified name, which reads the default schema.
   */
  relation(schema: string | null, name: string): string {
    const written = schema === null ? name : `${schema}.${name}`;
    const details = { relation: written };
    const system =
      (schema !== null && isSystemSchema(this.dialect, schema)) || (this.dialect === 'postgres' && name.toLowerCase().startsWith('pg_'));
    if (system) {
      throw new SqlRejectedError(`reading ${written} is not allowed: ${systemCatalogRule}`, details);
    }
    const resolved = schema ?? this.policy.defaultSchema;
    if (resolved === null) {
      throw new SqlRejectedError(
        `reading ${written} is not allowed: this datasource has no default ${this.schemaWord()}, so qualify the name with one of ${listNames(this.policy.schemas)}`,
        details,
      );
    }
    if (!this.policy.schemas.some((entry) => schemaMatches(entry, resolved))) {
      throw new SqlRejectedError(
        `reading ${written}${schema === null ? ` (in ${resolved})` : ''} is not allowed: this datasource may read only the ${this.schemaWord()}s ${listNames(this.policy.schemas)}`,
        details,
      );
    }
    if (this.tables && !this.tables.has(`${resolved}.${name}`)) {
      throw new SqlRejectedError(
        `reading ${resolved}.${name} is not allowed: this datasource may read only the tables ${listNames([...this.tables])}`,
        details,
      );
    }
    return written;
  }

  /** Checks one function call; `qualifier` is its schema (or database) when the call names one. */
  function(qualifier: string | null, name: string): void {
    const key = this.dialect === 'mysql' ? name.toLowerCase() : name;
    const written = qualifier === null ? key : `${qualifier}.${key}`;
    const details = { function: written };
    const denied = deniedFunctionEntry(this.dialect, name);
    if (denied) throw new SqlRejectedError(`the function ${written}() is on the deny-list (${denied})`, details);
    if (qualifier !== null && this.qualifiedFunctions.has(`${qualifier}.${key}`)) return;
    const qualifierAllowed = this.dialect === 'postgres' ? postgresSchemaQualifiers.has(qualifier) : qualifier === null;
    if (!qualifierAllowed) {
      throw new SqlRejectedError(
        `the function ${written}() is not allowed: ${this.dialect === 'postgres' ? 'functions may be qualified only with pg_catalog' : 'functions may not be qualified with a database'}, unless the datasource config's allowFunctions names ${written}`,
        details,
      );
    }
    if (!this.functions.has(key)) {
      throw new SqlRejectedError(
        `the function ${written}() is not allowed: it is not on the ${this.dialect === 'postgres' ? 'Postgres' : 'MySQL'} function allow-list (docs/sql-guard.md); an administrator can add it to allowFunctions in the datasource config`,
        details,
      );
    }
  }

  private schemaWord(): string {
    return this.dialect === 'postgres' ? 'schema' : 'database';
  }
}

function schemaMatches(entry: string, schema: string): boolean {
  if (entry === '*') return true;
  if (entry.endsWith('*')) return schema.length > entry.length - 1 && schema.startsWith(entry.slice(0, -1));
  return entry === schema;
}
