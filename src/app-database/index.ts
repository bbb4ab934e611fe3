/** The service's own database (traces, feedback), embedded PGlite or Postgres. */
export { openAppDatabase, type AppDatabase } from './app-database.ts';
