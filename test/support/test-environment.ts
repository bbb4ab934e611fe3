/** What the global setup prepared, handed to test files through vitest's `inject`. */
export interface TestEnvironment {
  /** Fixture name → a loaded PGlite directory to copy (never open it in place). */
  pgliteTemplates: Record<string, string>;
  postgres: { server: string; shop: string; clinic: string } | null;
  mysql: { server: string; shop: string; clinic: string } | null;
  /** Why a server's tests are skipped (only ever set when REQUIRE_SERVERS is not 1). */
  skipReasons: Partial<Record<'postgres' | 'mysql' | 'redis', string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testEnvironment: TestEnvironment;
  }
}
