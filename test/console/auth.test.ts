// Console sign-in, sessions, CSRF, rate limit, tokens page, assets — through app.request().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdminPassword } from '../../server/auth/accounts.ts';
import { loadAssets } from '../../server/console/assets.ts';
import { createUser } from '../../server/db/users.ts';
import { ADMIN_TOKEN, consoleHarness, type ConsoleHarness } from './harness.ts';

const ASSETS = loadAssets().urls;

describe('console auth', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await consoleHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends signed-out visitors to the login page, htmx requests via HX-Redirect', async () => {
    const c = h.client();
    const res = await c.request('/apps/x?y=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fapps%2Fx%3Fy%3D1');
    const hx = await c.request('/apps', { htmx: true });
    expect(hx.status).toBe(401);
    expect(hx.headers.get('hx-redirect')).toMatch(/^\/login/);
    expect((await c.post('/apps', { name: 'x' })).status).toBe(403);
  });

  it('leaves the JSON API and healthz alone', async () => {
    const res = await h.app.request('/api/apps');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.any(String) });
    const ok = await h.app.request('/api/apps', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('signs in with the admin API token, sets a hardened session cookie, signs out', async () => {
    const c = h.client();
    const { html } = await c.page('/login');
    expect(html).toContain('name="_csrf"');
    expect((await c.post('/login', { email: 'admin@localhost', password: ADMIN_TOKEN }, { csrf: false })).status).toBe(
      403,
    );
    const res = await c.post('/login', { email: 'admin@localhost', password: ADMIN_TOKEN, next: '/tokens' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/tokens');
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('kz_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const { html: apps } = await c.page('/apps');
    expect(apps).toContain('admin@localhost');
    expect(apps).toContain('hx-headers');
    const out = await c.post('/logout');
    expect(out.status).toBe(303);
    expect((await c.request('/apps')).status).toBe(303);
  });

  it('refuses a next= that leaves the site', async () => {
    const c = h.client();
    await c.page('/login');
    const res = await c.post('/login', { email: 'admin@localhost', password: ADMIN_TOKEN, next: '//evil.example/' });
    expect(res.headers.get('location')).toBe('/');
  });

  it('refuses CSRF-less and wrong-token posts from a signed-in session', async () => {
    const c = h.client();
    await c.signIn();
    expect((await c.post('/apps', { name: 'nocsrf' }, { csrf: false })).status).toBe(403);
    expect((await c.request('/apps', { method: 'POST', form: { name: 'nocsrf', _csrf: 'x'.repeat(43) } })).status).toBe(
      403,
    );
    expect(
      (await c.request('/apps', { method: 'POST', form: { name: 'viaheader' }, headers: { 'x-csrf-token': c.csrf } }))
        .status,
    ).toBe(201);
  });

  it('rate-limits sign-in attempts per IP and email', async () => {
    const c = h.client();
    await c.page('/login');
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push((await c.post('/login', { email: 'limited@example.com', password: 'wrong-password' })).status);
    expect(codes.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  it('sets a password (and KYOZO_ADMIN_PASSWORD bootstrap), refuses wrong ones', async () => {
    const c = h.client();
    await c.signIn();
    expect((await c.post('/account/password', { password: 'short', confirm: 'short' })).status).toBe(400);
    expect(
      (await c.post('/account/password', { password: 'correct horse battery', confirm: 'correct horse battery' }))
        .status,
    ).toBe(200);
    const d = h.client();
    expect((await d.signIn('admin@localhost', 'correct horse battery')).status).toBe(303);
    expect((await h.client().signIn('admin@localhost', 'not the password')).status).toBe(401);
    await bootstrapAdminPassword(h.t.db, 'from-the-environment');
    expect((await h.client().signIn('admin@localhost', 'from-the-environment')).status).toBe(303);
    expect((await h.client().signIn('admin@localhost', 'correct horse battery')).status).toBe(401);
  });

  it('creates a token (shown once), lists and revokes it', async () => {
    const c = h.client();
    await c.signIn();
    const created = await c.post('/tokens', { name: 'ci' }, { htmx: true });
    const html = await created.text();
    const token = /data-testid="new-token">(kz_[A-Za-z0-9_-]+)</.exec(html)![1];
    expect((await h.app.request('/api/apps', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const { html: list } = await c.page('/tokens');
    expect(list).toContain('ci');
    expect(list).not.toContain(token);
    const id =
      /\/tokens\/(\d+)\/revoke[^>]*hx-confirm="Revoke token &quot;ci&quot;/.exec(list)?.[1] ??
      /action="\/tokens\/(\d+)\/revoke"/.exec(list.slice(list.lastIndexOf('>ci<') - 2000))![1];
    const revoked = await c.post(`/tokens/${id}/revoke`, {}, { htmx: true });
    expect(revoked.status).toBe(200);
    expect((await h.app.request('/api/apps', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('keeps apps of other users invisible (404)', async () => {
    const admin = h.client();
    await admin.signIn();
    expect((await admin.post('/apps', { name: 'private-one' })).status).toBe(201);
    const bob = await createUser(h.t.db, 'bob@example.com');
    const { issueToken } = await import('../../server/db/users.ts');
    const { token } = await issueToken(h.t.db, bob.id, 'bob');
    const c = h.client();
    expect((await c.signIn('bob@example.com', token)).status).toBe(303);
    expect((await c.request('/apps/private-one')).status).toBe(404);
    expect((await c.request('/events/stream/apps/private-one')).status).toBe(404);
    expect((await c.page('/apps')).html).not.toContain('private-one');
  });

  it('serves htmx, the SSE extension and the CSS with immutable cache headers', async () => {
    for (const url of [ASSETS.htmx, ASSETS.sse, ASSETS.css]) {
      const res = await h.app.request(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect(ASSETS.htmx).toMatch(/\?v=2\.0\./);
    expect(await (await h.app.request(ASSETS.htmx)).text()).toContain('htmx');
  });
});
