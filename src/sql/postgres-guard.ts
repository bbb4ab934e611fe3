import { parse } from 'libpg-query';
import { SqlRejectedError } from '../errors/index.ts';
import { deniedFunctionEntry, deniedRelationEntry } from './deny-list.ts';
import type { GuardedStatement } from './guarded-statement.ts';
import { PolicyRules, type GuardPolicy } from './guard-policy.ts';
import { checkPostgresReferences } from './postgres-references.ts';

// Statement nodes that write, wherever they appear (a data-modifying CTE puts them inside a SELECT).
const writeNodes = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

type Node = Record<string, unknown>;

const stringsOf = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((item) => String((item as { String?: { sval?: string } })?.String?.sval ?? '')) : [];

/**
 * Checks a statement with the real Postgres parser (libpg-query, the server's own grammar in WASM).
 * Accepts exactly one SELECT (including WITH, set operations and VALUES) with no writes, no INTO, no
 * row locks, nothing from the deny-list, and only relations and functions the policy allows.
 */
export async function guardPostgres(text: string, policy: GuardPolicy): Promise<GuardedStatement> {
  // The parser stops reading at a NUL, so text after one would never be checked (guardSql refuses it first).
  if (text.includes('\u0000')) throw new SqlRejectedError('the statement contains a NUL character');
  let tree: { stmts?: Array<{ stmt: Node; stmt_location?: number; stmt_len?: number }> };
  try {
    tree = await parse(text);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    throw new SqlRejectedError(`the statement does not parse: ${(error as Error).message}`, { position: details?.cursorPosition ?? null });
  }
  const statements = tree.stmts ?? [];
  if (statements.length === 0) throw new SqlRejectedError('there is no statement, only whitespace or comments');
  if (statements.length > 1) throw new SqlRejectedError(`exactly one statement is allowed, found ${statements.length}`);
  const [entry] = statements;
  const kind = Object.keys(entry.stmt)[0];
  if (kind !== 'SelectStmt') {
    throw new SqlRejectedError(`only reads (SELECT, WITH … SELECT, VALUES) are allowed, not ${describe(kind)}`, { statementType: kind });
  }
  const top = entry.stmt.SelectStmt as Node;
  if (top.intoClause) throw new SqlRejectedError('SELECT … INTO creates a table; only plain reads are allowed');

  walk(entry.stmt, (key, value) => {
    if (writeNodes.has(key)) throw new SqlRejectedError(`a data-modifying statement (${describe(key)}) is not allowed, even inside WITH`);
    if (key === 'lockingClause' && Array.isArray(value) && value.length > 0) {
      throw new SqlRejectedError('row locks (FOR UPDATE / FOR SHARE) are not allowed');
    }
    if (key === 'intoClause' && value) throw new SqlRejectedError('SELECT … INTO is not allowed');
    if (key === 'FuncCall') {
      const names = stringsOf((value as Node).funcname);
      const name = names[names.length - 1] ?? '';
      const denied = deniedFunctionEntry('postgres', name);
      if (denied) throw new SqlRejectedError(`the function ${names.join('.')}() is on the deny-list (${denied})`, { function: name });
    }
    if (key === 'RangeVar') {
      const range = value as { schemaname?: string; relname?: string };
      const relation = range.relname ?? '';
      const denied = deniedRelationEntry('postgres', range.schemaname ?? null, relation);
      if (denied) throw new SqlRejectedError(`reading ${relation} is not allowed (${denied})`, { relation });
    }
  });
  const { relations, functions } = checkPostgresReferences(entry.stmt, new PolicyRules('postgres', policy));

  // libpg-query reports offsets in UTF-8 bytes, not JavaScript characters: slice the bytes.
  const bytes = Buffer.from(text, 'utf8');
  const start = entry.stmt_location ?? 0;
  const sql = (entry.stmt_len ? bytes.subarray(start, start + entry.stmt_len) : bytes.subarray(start)).toString('utf8').trim();
  // What runs must be what was checked: the extracted text must parse to the very same tree. When it is
  // the very text that was parsed (nothing was trimmed or cut off around the statement), it does.
  if (sql !== text) {
    const again = await parse(sql).catch(() => null);
    if (
      !again ||
      again.stmts?.length !== 1 ||
      JSON.stringify(withoutLocations(again.stmts[0].stmt)) !== JSON.stringify(withoutLocations(entry.stmt))
    ) {
      throw new SqlRejectedError('the statement could not be isolated exactly as checked');
    }
  }
  return {
    sql,
    dialect: 'postgres',
    hasTopLevelLimit: Boolean(top.limitCount),
    hasTopLevelOrderBy: Array.isArray(top.sortClause) && top.sortClause.length > 0,
    topLevelLimit: numericLimit(top.limitCount),
    functions,
    relations,
  };
}

/** A parse tree without source positions, for comparing two parses of equivalent text. */
function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'location' && key !== 'stmt_location' && key !== 'stmt_len')
        .map(([key, child]) => [key, withoutLocations(child)]),
    );
  }
  return value;
}

function numericLimit(limit: unknown): number | null {
  const constant = (limit as { A_Const?: { ival?: { ival?: number } } } | undefined)?.A_Const;
  if (!constant) return null;
  return constant.ival?.ival ?? 0;
}

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      visit(key, child);
      walk(child, visit);
    }
  }
}

const statementNames: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  CreateStmt: 'CREATE TABLE',
  DropStmt: 'DROP',
  TruncateStmt: 'TRUNCATE',
  AlterTableStmt: 'ALTER TABLE',
  CopyStmt: 'COPY',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  TransactionStmt: 'transaction control',
  ExplainStmt: 'EXPLAIN',
  LockStmt: 'LOCK',
  GrantStmt: 'GRANT/REVOKE',
  CreateTableAsStmt: 'CREATE TABLE AS',
  VacuumStmt: 'VACUUM/ANALYZE',
  PrepareStmt: 'PREPARE',
  ExecuteStmt: 'EXECUTE',
  DeallocateStmt: 'DEALLOCATE',
  ListenStmt: 'LISTEN',
  NotifyStmt: 'NOTIFY',
  DeclareCursorStmt: 'DECLARE CURSOR',
  FetchStmt: 'FETCH',
  CreateFunctionStmt: 'CREATE FUNCTION',
  IndexStmt: 'CREATE INDEX',
  ViewStmt: 'CREATE VIEW',
  CreateRoleStmt: 'CREATE ROLE',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  CreateExtensionStmt: 'CREATE EXTENSION',
  CreateSchemaStmt: 'CREATE SCHEMA',
};

function describe(kind: string | undefined): string {
  return kind ? (statementNames[kind] ?? kind.replace(/Stmt$/, '')) : 'an unknown statement';
}
