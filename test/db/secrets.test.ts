// Config values at rest (server/db/secrets.ts): encrypted in Postgres, readable again with the same key,
// refused with a clear error under another key; plain rows from before still read and are sealed at start.
// NUL bytes are refused before the database, and database errors reach no log with their parameters.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, getAppById, setAppConfig } from '../../server/db/apps.ts';
import { connect } from '../../server/db/client.ts';
import { sealStoredConfigs } from '../../server/db/configAtRest.ts';
import { describeError, safeErrorMessage } from '../../server/db/errors.ts';
import { createRelease, getRelease } from '../../server/db/releases.ts';
import { createSecrets, ephemeralSecrets, loadSecretKey, SecretsError } from '../../server/db/secrets.ts';
import { users } from '../../server/db/schema.ts';
import { ADMIN_TOKEN, consoleHarness, type ConsoleHarness } from '../console/harness.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { api, startKyozoProcess, type KyozoProcess } from '../support/kyozo.ts';

const SECRET = 'sk_live_0123456789abcdef';

async function ownerId(t: TestDb) {
  const [u] = await t.db
    .insert(users)
    .values({ email: `o${Date.now()}@x`, isAdmin: true })
    .returning();
  return u.id;
}

describe('the secret key', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyozo-secrets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once in the data dir, mode 0600, and read back the same', () => {
    const lines: string[] = [];
    const a = loadSecretKey({}, dir, (m) => lines.push(m));
    expect(statSync(join(dir, 'secret-key')).mode & 0o777).toBe(0o600);
    const b = loadSecretKey({}, dir);
    expect(b.keyId).toBe(a.keyId);
    expect(lines.join('\n')).toMatch(/created .*secret-key/);
  });

  it('comes from KYOZO_SECRET_KEY as hex or base64, and a malformed one is a clear error without the value', () => {
    const key = Buffer.alloc(32, 7);
    const hex = loadSecretKey({ KYOZO_SECRET_KEY: key.toString('hex') }, dir);
    expect(loadSecretKey({ KYOZO_SECRET_KEY: key.toString('base64') }, dir).keyId).toBe(hex.keyId);
    expect(loadSecretKey({ KYOZO_SECRET_KEY: key.toString('base64url') }, dir).keyId).toBe(hex.keyId);
    expect(hex.keyId).not.toBe(loadSecretKey({}, dir).keyId);
    for (const bad of ['not-a-key-at-all', key.toString('hex').slice(2), Buffer.alloc(31).toString('base64')]) {
      const run = () => loadSecretKey({ KYOZO_SECRET_KEY: bad }, dir);
      expect(run).toThrow(SecretsError);
      expect(run).toThrow(/KYOZO_SECRET_KEY must be 32 bytes/);
      try {
        run();
      } catch (e) {
        expect((e as Error).message).not.toContain(bad);
      }
    }
  });
});

describe('config at rest', () => {
  let t: TestDb;
  const key = createSecrets(Buffer.alloc(32, 1));
  beforeAll(async () => {
    t = await createTestDb({ secrets: key });
  });
  afterAll(async () => t?.drop());

  it('stores neither the values nor the keys in clear, and reads them back through another connection', async () => {
    const app = (await createApp(t.db, 'enc', await ownerId(t)))!;
    await setAppConfig(t.db, app.id, { STRIPE_KEY: SECRET, GREETING: 'hello' });
    const rel = await createRelease(t.db, { appId: app.id, kind: 'push', config: { STRIPE_KEY: SECRET } });
    expect(rel.config).toEqual({ STRIPE_KEY: SECRET });

    const raw = await t.sql`select (select config::text from apps where id = ${app.id}) as a,
                                   (select config::text from releases where id = ${rel.id}) as r`;
    for (const text of [raw[0].a, raw[0].r]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('STRIPE_KEY');
      expect(JSON.parse(text)).toMatchObject({ v: 1, kid: key.keyId });
    }
    // "A restart": a new client with the same key.
    const again = connect(t.url, { secrets: createSecrets(Buffer.alloc(32, 1)), max: 1 });
    try {
      expect((await getAppById(again.db, app.id))!.config).toEqual({ STRIPE_KEY: SECRET, GREETING: 'hello' });
      expect((await getRelease(again.db, rel.id))!.config).toEqual({ STRIPE_KEY: SECRET });
    } finally {
      await again.close();
    }
  });

  it('refuses to read with another key: a clear error naming both keys, never garbage', async () => {
    const app = (await createApp(t.db, 'wrongkey', await ownerId(t)))!;
    await setAppConfig(t.db, app.id, { TOKEN: SECRET });
    const other = ephemeralSecrets();
    const wrong = connect(t.url, { secrets: other, max: 1 });
    try {
      await expect(getAppById(wrong.db, app.id)).rejects.toThrow(SecretsError);
      await expect(getAppById(wrong.db, app.id)).rejects.toThrow(
        new RegExp(`encrypted with key ${key.keyId}, but this Kyozo has key ${other.keyId}`),
      );
      await expect(sealStoredConfigs(wrong.db)).rejects.toThrow(SecretsError);
    } finally {
      await wrong.close();
    }
    // A row tampered with (or copied onto another app) fails authentication instead of decrypting.
    const victim = (await createApp(t.db, 'victim', await ownerId(t)))!;
    await t.sql`update apps set config = (select config from apps where id = ${app.id}) where id = ${victim.id}`;
    await expect(getAppById(t.db, victim.id)).rejects.toThrow(/does not decrypt/);
    await t.sql`delete from apps where id = ${victim.id}`;
  });

  it('reads plain rows written before encryption, and seals them at start', async () => {
    const app = (await createApp(t.db, 'legacy', await ownerId(t)))!;
    await t.sql`update apps set config = ${JSON.stringify({ OLD_SECRET: SECRET })}::jsonb where id = ${app.id}`;
    const [r] = await t.sql`insert into releases (app_id, version, kind, config)
                            values (${app.id}, 1, 'push', ${JSON.stringify({ OLD_SECRET: SECRET })}::jsonb) returning id`;
    expect((await getAppById(t.db, app.id))!.config).toEqual({ OLD_SECRET: SECRET });
    expect((await getRelease(t.db, r.id))!.config).toEqual({ OLD_SECRET: SECRET });

    const sealed = await sealStoredConfigs(t.db);
    expect(sealed.apps).toBeGreaterThanOrEqual(1);
    expect(sealed.releases).toBeGreaterThanOrEqual(1);
    const raw = await t.sql`select config::text as c from apps union all select config::text from releases`;
    for (const row of raw) expect(row.c).not.toContain(SECRET);
    expect((await getAppById(t.db, app.id))!.config).toEqual({ OLD_SECRET: SECRET });
    expect((await getRelease(t.db, r.id))!.config).toEqual({ OLD_SECRET: SECRET });
    expect(await sealStoredConfigs(t.db)).toEqual({ apps: 0, releases: 0 });
  });
});

describe('database errors and invalid values in the API', () => {
  let h: ConsoleHarness;
  const logged: string[] = [];
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  beforeAll(async () => {
    h = await consoleHarness();
    // A route whose query fails with a secret among its parameters (added before the first request).
    h.app.get('/api/boom', async () => {
      await h.t.db.execute(sql`select ${`${SECRET}-param`}::int as n`);
      return new Response('unreachable');
    });
    for (const m of ['log', 'error', 'warn', 'info'] as const)
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logged.push(
          args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, Object.getOwnPropertyNames(a)))).join(' '),
        );
      });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h?.close();
  });

  it('answers a NUL byte or a lone surrogate with 400 naming the key, before the database', async () => {
    expect((await h.app.request('/api/apps', { method: 'POST', headers: auth, body: '{"name":"nul"}' })).status).toBe(
      201,
    );
    const ok = await h.app.request('/api/apps/nul/config', {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ TOKEN: SECRET }),
    });
    expect(ok.status).toBe(200);
    const before = (await h.t.sql`select config::text as c from apps where name = 'nul'`)[0].c;

    for (const [body, message] of [
      ['{"K":"a\\u0000b","OTHER":"x"}', /^K contains a NUL byte/],
      ['{"LONE":"a\\ud800b"}', /^LONE contains an unpaired surrogate/],
      ['{"bad\\u0000key":"v"}', /config key "bad\u0000key" must match/],
    ] as const) {
      const res = await h.app.request('/api/apps/nul/config', { method: 'PATCH', headers: auth, body });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
    // Nothing was written and nothing logged the config.
    expect((await h.t.sql`select config::text as c from apps where name = 'nul'`)[0].c).toBe(before);
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it('the console config form refuses a NUL byte the same way', async () => {
    const c = h.client();
    await c.signIn();
    await c.page('/apps/nul');
    const res = await c.post('/apps/nul/config', { key: 'K', value: 'a\u0000b' }, { htmx: true });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('K contains a NUL byte');
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it('logs a database error with its message and code, never its parameters or query', async () => {
    const secret = `${SECRET}-param`;
    const failing = () => h.t.db.execute(sql`select ${secret}::int as n`);
    const err = await failing().catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain(secret); // drizzle puts the parameters in the message
    expect(safeErrorMessage(err)).toMatch(/^database error 22P02: invalid input syntax for type integer/);
    expect(describeError(err)).not.toContain(secret);

    logged.length = 0;
    const res = await h.app.request('/api/boom', { headers: auth });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain(secret);
    const log = logged.join('\n');
    expect(log).toMatch(/\[http\] GET \/api\/boom: database error 22P02/);
    expect(log).not.toContain(secret);
    expect(log).not.toContain('select $1');
  });
});

describe('a Kyozo process and its key file', () => {
  let t: TestDb;
  let k: KyozoProcess;
  beforeAll(async () => {
    t = await createTestDb();
    k = await startKyozoProcess({ databaseUrl: t.url });
  });
  afterAll(async () => {
    await k?.destroy();
    await t?.drop();
  });

  it('keeps NUL out of the log, reads config back after a restart, and will not start with another key', async () => {
    expect((await api(k, 'POST', '/api/apps', { name: 'keyed' })).status).toBe(201);
    expect((await api(k, 'PATCH', '/api/apps/keyed/config', { TOKEN: SECRET })).status).toBe(200);
    const nul = await api(k, 'PATCH', '/api/apps/keyed/config', '{"TOKEN2":"a\\u0000b","MORE":"zzzzzzzz"}');
    expect(nul.status).toBe(400);
    expect(nul.json.error).toMatch(/TOKEN2 contains a NUL byte/);
    expect(statSync(join(k.dataDir, 'secret-key')).mode & 0o777).toBe(0o600);

    const raw = await t.sql`select config::text as c from apps where name = 'keyed'`;
    expect(raw[0].c).not.toContain(SECRET);

    await k.stop();
    await k.start();
    expect((await api(k, 'GET', '/api/apps/keyed/config')).json).toEqual({ TOKEN: SECRET });
    expect(k.output()).not.toContain(SECRET);
    expect(k.output()).not.toContain('zzzzzzzz');
    await k.stop();

    const other = await startKyozoProcess({
      databaseUrl: t.url,
      env: { KYOZO_SECRET_KEY: Buffer.alloc(32, 9).toString('hex') },
    }).catch((e: Error) => e);
    expect(other).toBeInstanceOf(Error);
    expect((other as Error).message).toMatch(/kyozo: the config of app \d+ was encrypted with key \w+, but this Kyozo/);
    expect((other as Error).message).not.toContain(SECRET);
  });
});
