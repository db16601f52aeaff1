import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The closing "N passed, N failed" line lets CI count tests without knowing vitest.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
