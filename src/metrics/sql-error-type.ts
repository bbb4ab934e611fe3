/** The kinds of SQL failure the metrics count. */
export type SqlErrorType = 'rejected' | 'syntax' | 'timeout' | 'execution';

/** Every `SqlErrorType`, in a stable order (for tests and pre-initialised series). */
export const sqlErrorTypes: readonly SqlErrorType[] = ['rejected', 'syntax', 'timeout', 'execution'];

// Postgres says "syntax error at or near …"; MySQL/MariaDB say "You have an error in your SQL syntax";
// the guards say "the statement does not parse" (the parser's own text follows).
const syntaxPattern = /syntax error|error in your SQL syntax|does not parse/i;
// Postgres SQLSTATE 42601 (syntax_error) and the MySQL/MariaDB parse error code.
const syntaxDatabaseCodes = new Set(['42601', 'ER_PARSE_ERROR', 'ER_SYNTAX_ERROR']);

/**
 * Classifies a service error code (`sql_rejected`, `sql_timeout`, `sql_error`, `result_too_large`) as a kind of SQL failure,
 * using the message and the database's own code to tell a syntax error from another execution error.
 * Returns null for codes that are not SQL failures. Never throws.
 */
export function classifySqlErrorCode(code: unknown, message?: unknown, databaseCode?: unknown): SqlErrorType | null {
  switch (code) {
    case 'sql_rejected':
      return typeof message === 'string' && syntaxPattern.test(message) ? 'syntax' : 'rejected';
    case 'sql_timeout':
      return 'timeout';
    case 'result_too_large':
      return 'execution';
    case 'sql_error':
      if (typeof databaseCode === 'string' && syntaxDatabaseCodes.has(databaseCode)) return 'syntax';
      return typeof message === 'string' && syntaxPattern.test(message) ? 'syntax' : 'execution';
    default:
      return null;
  }
}
