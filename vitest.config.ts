import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Six test files at a time even on 2 cores (vitest's default would be 1): the whole-process
    // tests spend most of their time waiting for child processes and timers. Measured here: whole
    // `npm test` 53-58 s with 6 (58-66 s with 4); beside a CPU hog 63-68 s (73-78 s), 3 of 3 green.
    maxWorkers: 6,
    // Test files share a worker's imported modules (each file still runs fresh): re-importing
    // telegraf, drizzle, zod and pinyin-pro for every one of ~120 files cost ~40 s of CPU. Tests
    // that change process-wide state (TZ, fake timers) restore it; module-level test state is
    // reset per file (test/support/tmp.ts, test/support/faults.ts).
    isolate: false,
    // Compiles dist/ once: the whole-process tests run what production runs.
    globalSetup: ['./test/support/build.ts'],
    // Removes each test file's temp folders.
    setupFiles: ['./test/support/setup.ts'],
    // The closing "N passed, N failed" line lets CI count tests without knowing vitest.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
