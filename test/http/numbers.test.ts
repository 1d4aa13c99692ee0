// Out-of-range and non-integer numbers from the outside answer 400 naming the field, never 500: JSON fields
// (rollback version, replicas, resources), path segments (release versions, token ids) and query params
// (limits, tails, since), through the whole hono app on Postgres with the fake Docker port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAppByName } from '../../server/db/apps.ts';
import { createRelease, promoteRelease, saveReleaseServices } from '../../server/db/releases.ts';
import { ADMIN_TOKEN, signedInConsole, type Client, type ConsoleHarness } from '../console/harness.ts';

describe('numbers and ids from the outside', () => {
  let h: ConsoleHarness;
  let c: Client;
  const api = async (method: string, path: string, body?: string) => {
    const res = await h.app.request(`http://localhost${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    return { status: res.status, error: text.startsWith('{') ? (JSON.parse(text) as { error?: string }).error : text };
  };

  beforeAll(async () => {
    ({ h, c } = await signedInConsole());
    expect((await api('POST', '/api/apps', JSON.stringify({ name: 'nums' }))).status).toBe(201);
    const app = (await getAppByName(h.t.db, 'nums'))!;
    const r1 = await createRelease(h.t.db, { appId: app.id, kind: 'push', commit: 'a'.repeat(40), config: {} });
    await saveReleaseServices(h.t.db, r1.id, [
      { name: 'web', type: 'web', image: 'kyozo/nums-web:1', port: 3000, memoryMb: 256, cpus: '0.5' },
    ]);
    await promoteRelease(h.t.db, app.id, r1.id);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('rollback versions: huge, fractional, negative, beyond int4 and as strings are 400s naming version', async () => {
    for (const v of ['1e308', '1.5', '-1', '0', '2147483648', '9007199254740993', '"1"', '1e400']) {
      const res = await api('POST', '/api/apps/nums/rollback', `{"version":${v}}`);
      expect(res.status, v).toBe(400);
      expect(res.error, v).toMatch(/^version must be an integer/);
    }
    const missing = await api('POST', '/api/apps/nums/rollback', '{"version":2147483647}');
    expect(missing.status).toBe(404);
  });

  it('replica counts and resources out of range are 400s naming the service and field', async () => {
    for (const body of ['{"web":1e308}', '{"web":2.5}', '{"web":-1}', '{"web":21}', '{"web":"2"}']) {
      const res = await api('POST', '/api/apps/nums/scale', body);
      expect(res.status, body).toBe(400);
      expect(res.error, body).toBe('web must be an integer between 0 and 20');
    }
    for (const [body, error] of [
      ['{"web":{"memoryMb":1e308}}', 'web.memoryMb must be an integer between 16 and 65536'],
      ['{"web":{"memoryMb":256.5}}', 'web.memoryMb must be an integer between 16 and 65536'],
      ['{"web":{"cpus":1e400}}', 'web.cpus must be a number between 0.05 and 64'],
      ['{"web":{"cpus":"1"}}', 'web.cpus must be a number between 0.05 and 64'],
    ]) {
      const res = await api('PATCH', '/api/apps/nums/resources', body);
      expect(res.status, body).toBe(400);
      expect(res.error, body).toBe(error);
    }
  });

  it('release versions and token ids in paths are 400s naming the field', async () => {
    for (const v of ['1e308', '99999999999', '1.0', '-3', 'abc']) {
      const res = await api('GET', `/api/apps/nums/releases/${v}/log`);
      expect(res.status, v).toBe(400);
      expect(res.error, v).toBe('version must be an integer between 1 and 2147483647');
    }
    expect((await api('GET', '/api/apps/nums/releases/7/log')).status).toBe(404);
    for (const id of ['1e308', '99999999999', 'x']) {
      const res = await api('DELETE', `/api/tokens/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.error, id).toBe('token id must be an integer between 1 and 2147483647');
    }
    expect((await api('DELETE', '/api/tokens/2147483647')).status).toBe(404);
  });

  it('limits, tails and since query params out of range are 400s naming the param', async () => {
    for (const [path, param] of [
      ['/api/events?limit=1e308', 'limit'],
      ['/api/events?limit=0', 'limit'],
      ['/api/events?before=99999999999999999999', 'before'],
      ['/api/events?since=99999999999d', 'since'],
      ['/api/alerts?limit=1e308', 'limit'],
      ['/api/alerts?limit=2.5', 'limit'],
      ['/api/apps/nums/logs?tail=1e308', 'tail'],
      ['/api/apps/nums/logs?tail=-1', 'tail'],
      ['/api/apps/nums/metrics?since=99999999999d', 'since'],
      ['/api/apps/nums/metrics?until=99999999999w', 'until'],
    ]) {
      const res = await api('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.error, path).toMatch(new RegExp(`^${param} must`));
    }
  });

  it('console forms and pages answer 400 for the same numbers', async () => {
    await c.page('/apps/nums');
    const rb = await c.post('/apps/nums/rollback', { version: '1e308' });
    expect(rb.status).toBe(400);
    expect(await rb.text()).toContain('version must be');
    const big = await c.post('/apps/nums/rollback', { version: '2147483648' });
    expect(big.status).toBe(400);
    const page = await c.request('/apps/nums/releases/1e308');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('version must be an integer between 1 and 2147483647');
    await c.page('/tokens');
    const revoke = await c.post('/tokens/1e308/revoke', {});
    expect(revoke.status).toBe(400);
    const scale = await c.post('/apps/nums/services/web/scale', { replicas: '1e308' });
    expect(scale.status).toBe(400);
    const events = await c.request('/events?since=99999999999d');
    expect(events.status).toBeLessThan(500);
  });
});
