import { defineConfig } from 'vitest/config';

// Two tiers. `unit` needs nothing but Node, git and loopback sockets (runs on a laptop without Docker,
// Postgres or a browser). `integration` runs against a real Postgres (started once in globalSetup), a real
// Docker engine and real Chromium. `npm test` runs both; `npm run test:unit` runs the first alone.
// A test file belongs to integration when it matches one of these globs; everything else is unit.
export const integrationTests = [
  'test/browser/**/*.test.ts',
  'test/cli/cli.e2e.test.ts',
  'test/console/{apps,auth,deploy,pages}.test.ts',
  'test/db/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/events/**/*.test.ts',
  'test/http/**/*.test.ts',
  'test/jobs/{cleanup,deploy}.test.ts',
  'test/logs/appLogs.test.ts',
  'test/metrics/{collect,http}.test.ts',
  'test/ops/postReceive.test.ts',
  'test/runtime/{breaker,breakerDeploy,docker}.test.ts',
];

const allTests = ['test/**/*.test.ts', 'test/**/*.test.tsx'];
const never = ['test/fixtures/**', 'node_modules/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // The unit tier runs first (group 0), then the integration tier with its own worker limit.
          sequence: { groupOrder: 0 },
          include: allTests,
          exclude: [...never, ...integrationTests],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: integrationTests,
          exclude: never,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Integration tests share one Docker engine and one Postgres server; keep files parallel but bounded.
          maxWorkers: 2,
          globalSetup: ['test/support/globalSetup.ts'],
        },
      },
    ],
  },
});
