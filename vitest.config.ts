import { defineConfig } from 'vitest/config';

/**
 * One vitest project per package, plus the cross-package suites under tests/.
 * `scripts/test.mjs` runs them in a fixed order and prints the final `N passed, N failed`.
 */
const project = (name: string, root: string, extra: Record<string, unknown> = {}) => ({
  test: { name, root, include: ['src/**/*.test.ts', 'src/**/*.test.tsx'], ...extra },
});

export default defineConfig({
  test: {
    projects: [
      project('shared', 'libs/shared'),
      project('metadata', 'libs/metadata', {
        testTimeout: 60_000,
        hookTimeout: 120_000,
        // A private PostgreSQL server (or $TSFX_TEST_PG_URL) for the postgresql half of every suite.
        globalSetup: ['../../tests/setup/postgres.ts'],
      }),
      project('data', 'libs/data', { testTimeout: 60_000 }),
      project('pipeline', 'libs/pipeline', { testTimeout: 60_000, hookTimeout: 120_000, globalSetup: ['../../tests/setup/postgres.ts'] }),
      project('ml', 'libs/ml', { testTimeout: 120_000 }),
      project('serving', 'libs/serving'),
      project('api', 'apps/api', { testTimeout: 60_000 }),
      project('cli', 'apps/cli', { testTimeout: 60_000 }),
      {
        test: {
          name: 'integration',
          root: 'tests',
          include: ['integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root: 'tests',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
