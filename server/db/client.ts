// Database client and migrations. Created only by server/main.ts (and tests), passed to everything else.
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import * as schema from './schema.ts';
import type { Secrets } from './secrets.ts';

/** The drizzle client, carrying the key the db layer encrypts config values with (db/secrets.ts). */
export type Db = PostgresJsDatabase<typeof schema> & { readonly secrets: Secrets };
export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * A postgres.js client for a URL that may name a Unix socket directory. postgres.js reads a socket only from its
 * `path` option, so the two URL spellings that libpq and pg (graphile-worker) understand are translated here:
 * a percent-encoded host (`postgres://u:p@%2Frun%2Fpg:5432/db`, what the embedded Postgres hands out) and
 * `?host=/run/pg` (`postgres://u:p@/db?host=/run/pg`). Any other URL is passed through untouched.
 */
export function postgresClient(url: string, options: postgres.Options<{}> = {}): postgres.Sql {
  const socket = unixSocket(url);
  return socket ? postgres(socket.url, { ...options, path: socket.path }) : postgres(url, options);
}

/** The socket file a URL points at (and the URL without `?host=`), or null for a TCP URL. */
export function unixSocket(url: string): { url: string; path: string } | null {
  let u: URL;
  try {
    u = new URL(url.replace(/^(\w+:\/\/[^/?#]*@)(?=[/?])/, '$1localhost')); // `user:pass@/db`: no host at all
  } catch {
    return null; // postgres.js reports the malformed URL itself
  }
  const query = u.searchParams.get('host');
  let dir: string;
  if (query?.startsWith('/')) {
    dir = query;
    u.searchParams.delete('host');
  } else if (/^%2f/i.test(u.hostname)) dir = decodeURIComponent(u.hostname);
  else return null;
  const port = u.searchParams.get('port') || u.port || '5432';
  u.searchParams.delete('port');
  return { url: u.toString(), path: `${dir.replace(/\/+$/, '')}/.s.PGSQL.${port}` };
}

export function connect(url: string, opts: { secrets: Secrets; max?: number }): Database {
  const sql = postgresClient(url, { max: opts.max ?? 10, onnotice: () => {}, idle_timeout: 30 });
  const db = Object.assign(drizzle(sql, { schema }), { secrets: opts.secrets });
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
