import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryLineReporter from './summary-line-reporter.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    reporters: ['default', new SummaryLineReporter()],
    // Handlers log and emit metrics as on Lambda; tests read the store and outputs instead.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    // Two files at a time even on a 2-core machine (vitest's default there is one): most files
    // wait on emulators, databases and brokers, and each starts its own on free ports with its
    // own schemas, databases and queues, so files never share state.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
          // The infra files synthesize the whole CDK stack in their setup: seconds alone, longer beside another file.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      // The default suite runs a fast slice of the fuzzers; `npm run test:fuzz` runs them at full count.
      {
        extends: true,
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      // Seeded fault scenarios during real runs: 10 in the default suite, `npm run test:fault` runs 100.
      {
        extends: true,
        test: {
          name: 'fault',
          include: ['test/fault/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      // The console in Debian's Chromium against `etl serve`.
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
