// Database client and migrations. Created only by server/main.ts (and tests), passed to everything else.
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import * as schema from './schema.ts';

export type Db = PostgresJsDatabase<typeof schema>;
export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export function connect(url: string, max = 10): Database {
  const sql = postgres(url, { max, onnotice: () => {}, idle_timeout: 30 });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

export async function runMigrations(database: Database): Promise<void> {
  await migrate(database.db, { migrationsFolder });
}

export async function pingDb(database: Database): Promise<boolean> {
  try {
    await database.sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
