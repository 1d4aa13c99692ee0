// Runs only the proxy tests, without the shared Postgres global setup (they need no database):
//   npx vitest run --config test/proxy/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { root: '.', include: ['test/proxy/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
