// Security headers: console pages, fragments, errors and assets carry the strict CSP, X-Frame-Options,
// nosniff and Referrer-Policy; API JSON gets nosniff but no CSP; the views hold no inline style or handler.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../server/http/securityHeaders.ts';
import { ADMIN_TOKEN, signedInConsole, type Client, type ConsoleHarness } from '../console/harness.ts';

const consoleHeaders = (res: Response) => ({
  csp: res.headers.get('content-security-policy'),
  frame: res.headers.get('x-frame-options'),
  nosniff: res.headers.get('x-content-type-options'),
  referrer: res.headers.get('referrer-policy'),
});
const strict = { csp: CONSOLE_CSP, frame: 'DENY', nosniff: 'nosniff', referrer: 'same-origin' };

describe('console security headers', () => {
  let h: ConsoleHarness;
  let c: Client;
  beforeAll(async () => {
    ({ h, c } = await signedInConsole());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the CSP forbids inline script, inline style, eval, framing and foreign origins', () => {
    expect(CONSOLE_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    );
  });

  it('pages, the login page, htmx fragments, error pages and assets carry every header', async () => {
    for (const path of ['/', '/apps', '/events', '/tokens', '/no-such-page']) {
      expect(consoleHeaders(await c.request(path)), path).toEqual(strict);
    }
    expect(consoleHeaders(await h.client().request('/login'))).toEqual(strict);
    expect(consoleHeaders(await c.request('/apps', { htmx: true }))).toEqual(strict);
    const page = await c.page('/apps');
    const css = /href="(\/assets\/console\.css[^"]*)"/.exec(page.html)![1];
    expect(consoleHeaders(await c.request(css))).toEqual(strict);
  });

  it('API JSON gets nosniff and no CSP', async () => {
    const res = await h.app.request('http://localhost/api/apps', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(consoleHeaders(res)).toEqual({ csp: null, frame: null, nosniff: 'nosniff', referrer: 'same-origin' });
    const missing = await h.app.request('http://localhost/api/nothing');
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the htmx config turns off eval and injected indicator styles', async () => {
    const page = await c.page('/apps');
    const meta = /<meta name="htmx-config" content="([^"]+)"/.exec(page.html)![1].replaceAll('&quot;', '"');
    expect(JSON.parse(meta)).toMatchObject({ allowEval: false, includeIndicatorStyles: false });
  });

  it('no view has an inline style attribute, event handler or inline script', () => {
    const dir = new URL('../../views/', import.meta.url);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.tsx'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      expect(src, f).not.toMatch(/\sstyle=|\son[a-z]+=|hx-on|<script>|<style/);
    }
  });
});
