export { guardSql, maxStatementLength, type SqlGrammar } from './sql-guard.ts';
export type { GuardedStatement } from './guarded-statement.ts';
export { deniedFunctions, deniedRelations } from './deny-list.ts';
