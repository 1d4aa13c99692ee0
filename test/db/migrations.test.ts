import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';

describe('migrations on a real Postgres', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('creates the app → release → service → replica tables', async () => {
    const rows = await t.sql<
      { table_name: string }[]
    >`select table_name from information_schema.tables where table_schema = 'public' order by 1`;
    const names = rows.map((r) => r.table_name);
    for (const n of ['users', 'api_tokens', 'apps', 'releases', 'release_services', 'replicas', 'release_logs'])
      expect(names).toContain(n);
  });
});
