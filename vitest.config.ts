import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'fixtures/**/*.test.ts'],
    // test/solo/ measures the process itself (event-loop delay): it runs alone, after the rest
    // (vitest.solo.config.ts), where no other test file competes for the two cores.
    exclude: [...configDefaults.exclude, 'test/solo/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores: more workers only contend for them (and for the PGlite workers each test file starts).
    maxWorkers: 2,
    // Test files share each worker's modules instead of importing the whole service afresh, file after file:
    // on two cores that fresh start cost about 2.5 s a file, 2.5 minutes of the suite's 7.5 (measured with
    // and without, same machine). So a test file leaves nothing global behind it (no patched SDK logger
    // asserted on console, no process listeners, no environment changes); run a file alone to check that it
    // does not need another's leftovers either. The solo suite keeps its isolation.
    isolate: false,
  },
});
