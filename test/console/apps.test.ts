// Console app pages and fragments: list/create, app page, rollback, config (masked), release log + SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAppByName } from '../../server/db/apps.ts';
import { appendLogLines } from '../../server/db/logs.ts';
import { createRelease, promoteRelease, saveReleaseServices, setReleaseStatus } from '../../server/db/releases.ts';
import { readStreamUntil, signedInConsole, type Client, type ConsoleHarness } from './harness.ts';

describe('console apps', () => {
  let h: ConsoleHarness;
  let c: Client;
  beforeAll(async () => {
    ({ h, c } = await signedInConsole());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates an app (htmx fragment) and shows the git commands to copy', async () => {
    const res = await c.post('/apps', { name: 'shop' }, { htmx: true });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain('git remote add kyozo http://localhost:3000/git/shop.git');
    expect(html).toContain('git push kyozo main');
    expect(html).toContain('hx-swap-oob="true"');
    expect(html).not.toContain('<html');
    const bad = await c.post('/apps', { name: 'Bad_Name' }, { htmx: true });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/alert bad/);
    expect((await c.post('/apps', { name: 'shop' })).status).toBe(400);
    const { html: list } = await c.page('/apps');
    expect(list).toContain('href="/apps/shop"');
    expect(list).toContain('>new<');
  });

  it('renders the app page with services, releases (rollback button) and masked config', async () => {
    const app = (await getAppByName(h.t.db, 'shop'))!;
    const r1 = await createRelease(h.t.db, { appId: app.id, kind: 'push', commit: 'a'.repeat(40), config: {} });
    await saveReleaseServices(h.t.db, r1.id, [
      { name: 'web', type: 'web', image: 'kyozo/shop-web:1', port: 3000, memoryMb: 256, cpus: '0.5' },
    ]);
    await promoteRelease(h.t.db, app.id, r1.id);
    const r2 = await createRelease(h.t.db, { appId: app.id, kind: 'push', commit: 'b'.repeat(40), config: {} });
    await saveReleaseServices(h.t.db, r2.id, [
      { name: 'web', type: 'web', image: 'kyozo/shop-web:2', port: 3000, memoryMb: 256, cpus: '0.5' },
    ]);
    await promoteRelease(h.t.db, app.id, r2.id);
    const { res, html } = await c.page('/apps/shop');
    expect(res.status).toBe(200);
    expect(html).toContain('data-service="web"');
    expect(html).toContain('kyozo/shop-web:2');
    expect(html).toMatch(/id="release-1"[^>]*data-status="superseded"/);
    expect(html).toContain('Roll back');
    expect(html).toContain('sse-connect="/events/stream/apps/shop"');
    expect(html).toContain('http://shop.localhost:8080');
  });

  it('scales, stops, starts and restarts a service through the formation ops', async () => {
    const before = h.enqueued.length;
    const res = await c.post('/apps/shop/services/web/scale', { replicas: '2' }, { htmx: true });
    expect(res.status).toBe(202);
    const html = await res.text();
    expect(html).toContain('Scaling web to 2');
    expect(html).toContain('hx-swap-oob="true"');
    expect(h.enqueued.length).toBe(before + 1);
    expect((await c.post('/apps/shop/services/web/scale', { replicas: 'lots' }, { htmx: true })).status).toBe(400);
    expect((await c.post('/apps/shop/services/nope/restart', {}, { htmx: true })).status).toBe(404);
    expect((await c.post('/apps/shop/services/web/explode', {}, { htmx: true })).status).toBe(404);
    expect(await (await c.post('/apps/shop/services/web/restart', {}, { htmx: true })).text()).toContain(
      'Restarting web',
    );
  });

  it('rolls back through the rollback op (fragment) and enqueues a deploy', async () => {
    const before = h.enqueued.length;
    const res = await c.post('/apps/shop/rollback', { version: '1' }, { htmx: true });
    expect(res.status).toBe(202);
    const html = await res.text();
    expect(html).toMatch(/Rolling back to v1 as v\d+/);
    expect(html).toContain('rollback to v1');
    expect(h.enqueued.length).toBe(before + 1);
    const refused = await c.post('/apps/shop/rollback', { version: '99' }, { htmx: true });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('hx-retarget')).toBe('#flash');
  });

  it('sets config through changeConfig, masks values until revealed', async () => {
    const res = await c.post('/apps/shop/config', { key: 'API_KEY', value: 'sekrit-123' }, { htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('API_KEY');
    expect(html).not.toContain('sekrit-123');
    expect(html).toMatch(/rolling out as v\d/);
    const { html: page } = await c.page('/apps/shop');
    expect(page).not.toContain('sekrit-123');
    const reveal = await c.request('/apps/shop/config/reveal?key=API_KEY', { htmx: true });
    expect(await reveal.text()).toContain('sekrit-123');
    expect((await c.post('/apps/shop/config', { key: 'bad key', value: 'x' }, { htmx: true })).status).toBe(400);
    const unset = await c.post('/apps/shop/config/unset', { key: 'API_KEY' }, { htmx: true });
    expect(await unset.text()).toContain('No config vars');
  });

  it('shows a release log with filters, a download, and streams the rest over SSE', async () => {
    const app = (await getAppByName(h.t.db, 'shop'))!;
    const r = await createRelease(h.t.db, { appId: app.id, kind: 'push', commit: 'c'.repeat(40), config: {} });
    await setReleaseStatus(h.t.db, r.id, 'building');
    await appendLogLines(h.t.db, r.id, [
      '-----> Release v' + r.version,
      '-----> web: building with Dockerfile',
      '       Step 1/3 : FROM node',
      '! boom warning-free error line',
    ]);
    const { html } = await c.page(`/apps/shop/releases/${r.version}`);
    expect(html).toContain(`sse-connect="/events/stream/apps/shop/releases/${r.version}?after=4"`);
    expect(html).toContain('Step 1/3');
    const filtered = (await c.page(`/apps/shop/releases/${r.version}?level=error`)).html;
    expect(filtered).toContain('boom');
    expect(filtered).not.toContain('Step 1/3');
    const byService = (await c.page(`/apps/shop/releases/${r.version}?service=web&type=build`)).html;
    expect(byService).toContain('Step 1/3');
    expect(byService).not.toContain('-----> Release v');
    const dl = await c.request(`/apps/shop/releases/${r.version}/log.txt`);
    expect(dl.headers.get('content-disposition')).toContain(`shop-v${r.version}.log`);
    expect(await dl.text()).toContain('Step 1/3');

    const stream = await c.request(`/events/stream/apps/shop/releases/${r.version}?after=4`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    setTimeout(async () => {
      await appendLogLines(h.t.db, r.id, ['       Step 2/3 : COPY . .']);
      h.deps.bus.notify(r.id);
      await promoteRelease(h.t.db, app.id, r.id);
      h.deps.bus.notify(r.id);
    }, 200);
    let text = '';
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += dec.decode(value);
    }
    expect(text).toContain('event: line');
    expect(text).toContain('Step 2/3');
    expect(text).not.toContain('Step 1/3');
    expect(text).toMatch(/event: status\ndata: .*live/);
    expect(text).toContain('event: done');
  });

  it('shows a 404 page for unknown apps and releases', async () => {
    expect((await c.request('/apps/nope')).status).toBe(404);
    const res = await c.request('/apps/shop/releases/999');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Not found');
  });

  it('streams app fragments (status, services, releases) over SSE', async () => {
    const text = await readStreamUntil(await c.request('/events/stream/apps/shop'), 'release-1"');
    expect(text).toContain('event: services');
    expect(text).toContain('id="release-1"');
  });

  it('deletes an app through deleteAppOp', async () => {
    await c.post('/apps', { name: 'gone' });
    const res = await c.post('/apps/gone/delete', {}, { htmx: true });
    expect(res.headers.get('hx-redirect')).toBe('/apps');
    expect(await getAppByName(h.t.db, 'gone')).toBeNull();
  });
});
