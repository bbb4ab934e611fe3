export { guardSql, maxStatementLength, type SqlGrammar } from './sql-guard.ts';
export type { GuardedStatement } from './guarded-statement.ts';
export { deniedFunctions, deniedRelations } from './deny-list.ts';
export { allowedFunctions } from './allowed-functions.ts';
export type { GuardPolicy } from './guard-policy.ts';
