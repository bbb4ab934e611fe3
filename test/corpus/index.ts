export { hostileStatements } from './hostile-sql.ts';
export type { CorpusDialect, HostileCase } from './hostile-sql.ts';
export { legitQueries } from './legit-sql.ts';
export type { LegitCase } from './legit-sql.ts';
