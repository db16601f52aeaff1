import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two test files at a time even on 2 cores (vitest's default would be 1): the whole-process
    // tests spend most of their time waiting for child processes and timers.
    maxWorkers: 2,
    // Compiles dist/ once: the whole-process tests run what production runs.
    globalSetup: ['./test/support/build.ts'],
    // Removes each test file's temp folders.
    setupFiles: ['./test/support/setup.ts'],
    // The closing "N passed, N failed" line lets CI count tests without knowing vitest.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
