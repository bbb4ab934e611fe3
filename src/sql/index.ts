export { guardSql, maxStatementLength } from './sql-guard.ts';
export type { GuardedStatement } from './guarded-statement.ts';
export { executeReadOnly, type ExecuteOptions, type ReadOnlyResult, type ResultColumn } from './read-only-executor.ts';
export { toJsonSafe } from './json-safe-value.ts';
export { deniedFunctions, deniedRelations } from './deny-list.ts';
