/**
 * Runs the browser tests on their own: `npx vitest run --config test/e2e/vitest.config.ts`.
 * (The root config gets the same settings as its `e2e` project.)
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.test.ts'],
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
