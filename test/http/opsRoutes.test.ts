// The operations endpoints are mounted in a real Kyozo process: /api/events, /api/apps/:name/logs, /api/jobs/failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';
import { api, startKyozoProcess, type KyozoProcess } from '../support/kyozo.ts';

describe('operations routes (real process)', () => {
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

  it('records app.create with the caller and its address; serves logs and the dead-letter queue', async () => {
    expect((await api(k, 'POST', '/api/apps', { name: 'audited' })).status).toBe(201);
    expect((await api(k, 'PATCH', '/api/apps/audited/config', { TOKEN: 'super-secret-1234' })).status).toBe(200);
    const ev = await api(k, 'GET', '/api/events?app=audited');
    expect(ev.status).toBe(200);
    expect(ev.json.events.map((e: { type: string }) => e.type)).toEqual(['config.set', 'app.create']);
    expect(ev.json.events[1]).toMatchObject({
      actorEmail: 'admin@localhost',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(ev.text).not.toContain('super-secret-1234');
    expect((await api(k, 'GET', '/api/events?level=nope')).status).toBe(400);
    const logs = await api(k, 'GET', '/api/apps/audited/logs');
    expect(logs.status).toBe(200);
    expect(logs.text).toBe('');
    expect((await api(k, 'GET', '/api/jobs/failed')).json).toEqual([]);
  });
});
