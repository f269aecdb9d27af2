import { defineConfig } from 'vitest/config';

export interface ReelhouseTestOptions {
  /** Start (or find) PostgreSQL and MongoDB once for the package's tests: see @reelhouse/services/testing. */
  readonly databases?: boolean;
}

/**
 * The one vitest configuration every package extends: tests beside the code under `test/`,
 * console output fails a test, database servers come from `test/global-setup.ts`.
 */
export function reelhouseTestConfig(options: ReelhouseTestOptions = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      setupFiles: [new URL('./tooling/vitest/fail-on-console.ts', import.meta.url).pathname],
      ...(options.databases ? { globalSetup: ['./test/global-setup.ts'] } : {}),
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Two cores: one extra worker keeps the database busy without starving it.
      pool: 'forks',
      maxWorkers: 2,
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    },
  });
}
