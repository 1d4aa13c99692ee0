// A fresh, migrated database per test file on the shared test Postgres server.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, postgresClient, runMigrations, type Database } from '../../server/db/client.ts';
import { ephemeralSecrets, type Secrets } from '../../server/db/secrets.ts';

export interface TestDb extends Database {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database; its config values are encrypted with `secrets` (default: a key of its own). */
export async function createTestDb(opts: { secrets?: Secrets } = {}): Promise<TestDb> {
  const adminUrl = inject('pgAdminUrl');
  const name = `kyozo_test_${randomBytes(6).toString('hex')}`;
  const admin = postgresClient(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl); // the embedded server's URL names its socket as a percent-encoded host: kept as is
  url.pathname = `/${name}`;
  const database = connect(url.toString(), { max: 5, secrets: opts.secrets ?? ephemeralSecrets() });
  await runMigrations(database);
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      const a = postgresClient(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
