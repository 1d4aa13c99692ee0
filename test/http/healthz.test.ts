// /healthz: 200 with db and docker state; docker down is still 200 ("docker":"down"); 503 only when the
// database is down. Real Postgres (its connection is closed to take it down), fault-injected Docker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHarness, type ConsoleHarness } from '../console/harness.ts';

describe('GET /healthz', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await consoleHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reports ok, then docker down with 200, then the database down with 503', async () => {
    let res = await h.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', docker: 'ok' });

    h.deps.docker.fail('ping', new Error('connect ENOENT /var/run/docker.sock'));
    res = await h.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', docker: 'down' });

    await h.t.sql.end({ timeout: 1 });
    res = await h.app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: 'down' });
  });
});
