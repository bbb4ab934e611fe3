import { SqlRejectedError } from '../errors/index.ts';
import { deniedFunctionEntry, deniedRelationEntry } from './deny-list.ts';
import type { GuardedStatement } from './guarded-statement.ts';
import { isSystemSchema, PolicyRules, systemCatalogRule, type GuardPolicy } from './guard-policy.ts';
import { checkMysqlReferences } from './mysql-references.ts';
import { tokenizeMysql, type MysqlToken } from './mysql-tokenizer.ts';

interface SqlParser {
  parse(sql: string, options: { database: string }): { tableList: string[]; ast: unknown };
}

// The per-dialect builds of node-sql-parser load in a tenth of the time of the all-dialects bundle, and
// only when a MySQL statement is first checked.
const parsers = new Map<string, Promise<SqlParser>>();
function parserFor(grammar: 'mysql' | 'mariadb'): Promise<SqlParser> {
  let parser = parsers.get(grammar);
  if (!parser) {
    const module = grammar === 'mysql' ? import('node-sql-parser/build/mysql.js') : import('node-sql-parser/build/mariadb.js');
    parser = module.then(
      (loaded: { default?: { Parser: new () => SqlParser }; Parser?: new () => SqlParser }) => new (loaded.default ?? loaded).Parser!(),
    );
    parsers.set(grammar, parser);
  }
  return parser;
}

// Word sequences that make a SELECT lock rows, write files or set variables.
const forbiddenSequences: Array<{ words: string[]; reason: string }> = [
  { words: ['INTO'], reason: 'SELECT … INTO (OUTFILE, DUMPFILE or variables) is not allowed' },
  { words: ['FOR', 'UPDATE'], reason: 'row locks (FOR UPDATE) are not allowed' },
  { words: ['FOR', 'SHARE'], reason: 'row locks (FOR SHARE) are not allowed' },
  { words: ['LOCK', 'IN', 'SHARE', 'MODE'], reason: 'row locks (LOCK IN SHARE MODE) are not allowed' },
  { words: ['PROCEDURE'], reason: 'SELECT … PROCEDURE is not allowed' },
];

/**
 * Checks a statement for MySQL or MariaDB in two independent passes: a lexer that knows MySQL's
 * comment and quoting rules (catching executable comments, stacked statements, INTO, locks, variables,
 * system schemas and deny-listed calls), then node-sql-parser for the statement type and a walk of its
 * tree that resolves every relation and function against the policy.
 */
export async function guardMysql(text: string, policy: GuardPolicy, flavour: 'mysql' | 'mariadb' = 'mysql'): Promise<GuardedStatement> {
  const { tokens, executableComment, optimizerHint, ambiguity, unterminated } = tokenizeMysql(text);
  if (executableComment) throw new SqlRejectedError('MySQL executable comments (/*! … */) are not allowed');
  if (optimizerHint) throw new SqlRejectedError('optimizer hints (/*+ … */) are not allowed: they can override the statement timeout');
  if (ambiguity) throw new SqlRejectedError(`the statement is ambiguous: ${ambiguity}`);
  if (unterminated) throw new SqlRejectedError(`the statement has an unterminated ${unterminated}`);
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last].type === 'separator') last -= 1;
  if (last < 0) throw new SqlRejectedError('there is no statement, only whitespace, comments or semicolons');
  const body = tokens.slice(0, last + 1);
  if (body.some((token) => token.type === 'separator'))
    throw new SqlRejectedError('exactly one statement is allowed; found a semicolon followed by more SQL');

  const rules = new PolicyRules('mysql', policy);
  checkTokens(body, rules);

  // node-sql-parser's MySQL grammar is the more complete one (its MariaDB grammar rejects a bare column
  // named `status`); the MariaDB grammar is the fallback for MariaDB-only syntax.
  let parsed: { tableList: string[]; ast: unknown };
  try {
    parsed = (await parserFor('mysql')).parse(text, { database: 'MySQL' });
  } catch (mysqlError) {
    try {
      if (flavour !== 'mariadb') throw mysqlError;
      parsed = (await parserFor('mariadb')).parse(text, { database: 'MariaDB' });
    } catch {
      throw new SqlRejectedError(`the statement does not parse: ${(mysqlError as Error).message}`);
    }
  }
  const asts = Array.isArray(parsed.ast) ? parsed.ast : [parsed.ast];
  if (asts.length !== 1) throw new SqlRejectedError(`exactly one statement is allowed, found ${asts.length}`);
  const ast = asts[0] as { type?: string };
  if (ast?.type !== 'select') {
    throw new SqlRejectedError(
      `only reads (SELECT, WITH … SELECT) are allowed, not ${String(ast?.type ?? 'this statement').toUpperCase()}`,
      { statementType: ast?.type ?? null },
    );
  }

  walk(ast, (node) => {
    if (node.type === 'function') {
      const name = functionName(node.name);
      const denied = deniedFunctionEntry('mysql', name);
      if (denied) throw new SqlRejectedError(`the function ${name}() is on the deny-list (${denied})`, { function: name });
    }
    const into = node.into as { position?: unknown; keyword?: unknown } | undefined;
    if (into && (into.position || into.keyword)) throw new SqlRejectedError('SELECT … INTO is not allowed');
    if (node.locking_read) throw new SqlRejectedError('row locks are not allowed');
  });

  for (const entry of parsed.tableList) {
    const [, schema, table] = entry.split('::');
    const denied = deniedRelationEntry('mysql', schema === 'null' ? null : schema, table);
    if (denied)
      throw new SqlRejectedError(`reading ${schema === 'null' ? table : `${schema}.${table}`} is not allowed (${denied})`, {
        relation: table,
      });
  }
  const { relations, functions } = checkMysqlReferences(ast as Record<string, unknown>, parsed.tableList, rules, flavour);

  const limit = topLevelLimit(body);
  return {
    sql: text.slice(0, body[body.length - 1].end),
    dialect: 'mysql',
    hasTopLevelLimit: limit.present,
    hasTopLevelOrderBy: hasTopLevelOrderBy(body),
    topLevelLimit: limit.count,
    functions,
    relations,
  };
}

function checkTokens(tokens: MysqlToken[], rules: PolicyRules): void {
  // Denied and system schemas and relations, by token, so no parser blind spot can hide them.
  tokens.forEach((token, index) => {
    if (token.type !== 'word' && token.type !== 'quoted-identifier') return;
    const name = token.value.toLowerCase();
    const next = tokens[index + 1];
    const qualifies = next?.type === 'symbol' && next.value === '.';
    const denied = deniedRelationEntry('mysql', qualifies ? name : null, qualifies ? '' : name);
    const relation = qualifies ? `${name}.${tokens[index + 2]?.value.toLowerCase() ?? '…'}` : name;
    if (denied) throw new SqlRejectedError(`reading ${relation} is not allowed (${denied})`, { relation });
    if (qualifies && isSystemSchema('mysql', name))
      throw new SqlRejectedError(`reading ${relation} is not allowed: ${systemCatalogRule}`, { relation });
    // CURRENT_USER and CURRENT_ROLE are reserved words the server calls without parentheses.
    if (token.type === 'word' && (token.value === 'CURRENT_USER' || token.value === 'CURRENT_ROLE')) rules.function(null, name);
  });
  const words = tokens.map((token) => (token.type === 'word' ? token.value : token.type === 'symbol' ? token.value : '\u0000'));
  for (const { words: sequence, reason } of forbiddenSequences) {
    for (let index = 0; index + sequence.length <= words.length; index += 1) {
      if (sequence.every((word, offset) => words[index + offset] === word)) throw new SqlRejectedError(reason);
    }
  }
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    if ((token.type === 'word' || token.type === 'quoted-identifier') && next?.type === 'symbol' && next.value === '(') {
      const denied = deniedFunctionEntry('mysql', token.value);
      if (denied)
        throw new SqlRejectedError(`the function ${token.value.toLowerCase()}() is on the deny-list (${denied})`, {
          function: token.value.toLowerCase(),
        });
    }
    if (token.type === 'symbol' && token.value === ':' && next?.type === 'symbol' && next.value === '=' && next.start === token.end) {
      throw new SqlRejectedError('assigning user variables (:=) is not allowed');
    }
  });
  if (tokens.some((token) => token.type === 'symbol' && token.value === '@'))
    throw new SqlRejectedError('system variables (@@…) and user variables (@…) are not allowed');
}

/** Finds a LIMIT at parenthesis depth zero, which is the one the executor's row cap must respect. */
function topLevelLimit(tokens: MysqlToken[]): { present: boolean; count: number | null } {
  let depth = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token.type === 'symbol' && token.value === '(') depth += 1;
    else if (token.type === 'symbol' && token.value === ')') depth -= 1;
    else if (depth === 0 && token.type === 'word' && token.value === 'LIMIT') {
      const first = tokens[index + 1];
      const comma = tokens[index + 2];
      const second = tokens[index + 3];
      if (first?.type !== 'number') return { present: true, count: null };
      if (comma?.type === 'symbol' && comma.value === ',')
        return { present: true, count: second?.type === 'number' ? Number(second.value) : null };
      return { present: true, count: Number(first.value) };
    }
  }
  return { present: false, count: null };
}

/** Whether ORDER BY appears at parenthesis depth zero (the outermost query's, or a set operation's). */
function hasTopLevelOrderBy(tokens: MysqlToken[]): boolean {
  let depth = 0;
  return tokens.some((token, index) => {
    if (token.type === 'symbol' && token.value === '(') depth += 1;
    else if (token.type === 'symbol' && token.value === ')') depth -= 1;
    const next = tokens[index + 1];
    return depth === 0 && token.type === 'word' && token.value === 'ORDER' && next?.type === 'word' && next.value === 'BY';
  });
}

function functionName(name: unknown): string {
  if (typeof name === 'string') return name;
  const parts = (name as { name?: Array<{ value?: string }> } | undefined)?.name;
  return Array.isArray(parts) ? String(parts[parts.length - 1]?.value ?? '') : '';
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    for (const child of Object.values(value)) walk(child, visit);
  }
}
