import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/fixtures/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests share one Docker engine and one Postgres server; keep files parallel but bounded.
    maxWorkers: 2,
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
