import { defineConfig } from 'vitest/config';

// Tests that measure the process (event-loop delay under hostile load), one file at a time and alone on the
// machine: `npm test` runs them after the main suite.
export default defineConfig({
  test: {
    include: ['test/solo/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
