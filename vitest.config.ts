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
  },
});
