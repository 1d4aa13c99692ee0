// The console in a real browser (Debian chromium via playwright-core) against a real Kyozo process:
// sign in, create an app, drop a folder, read the analysis, deploy, watch the log to "live", open the app
// through the proxy, scale to 2, roll back, refuse a CSRF-less post, sign out. Screenshots → screenshots/.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { viaProxy } from '../support/net.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = 'screenshots';

function appFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'kyozo-drop-')), 'hello-web');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'hello-web', version: '1.0.0', scripts: { start: 'node index.js' } }, null, 2),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `require('http').createServer((q, s) => s.end('hello from the browser upload'))
  .listen(Number(process.env.PORT));\nprocess.on('SIGTERM', () => process.exit(0));\n`,
  );
  writeFileSync(join(dir, 'README.md'), '# hello-web\n');
  return dir;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Chromium is required (apt-get install -y chromium; .ci/run installs it).
describe('console in a real browser', () => {
  let k: KyozoProcess;
  let browser: Browser;
  let page: Page;
  // Chromium logs every CSP violation to the console: the console's pages must run under their strict CSP.
  const cspViolations: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    // Metrics every second, so the metrics page has real series to draw by the end of the journey.
    k = await startTestKyozo({ env: { KYOZO_METRICS_INTERVAL_MS: '1000' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await k?.destroy();
  });

  it('signs in, deploys a dropped folder, scales, rolls back and signs out', async () => {
    const live = (v: number) => async () =>
      (await api(k, 'GET', '/api/apps/hello-web')).json?.liveRelease?.version === v;

    const first = await page.goto(`${k.url}/apps`);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(page.url()).toContain('/login?next=%2Fapps');
    await shot('01-login');
    await page.fill('input[name=email]', 'admin@localhost');
    await page.fill('input[name=password]', k.token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${k.url}/apps`);

    await page.fill('input[name=name]', 'hello-web');
    await page.click('#create-app button[type=submit]');
    await page.waitForSelector('[data-testid=git-instructions]');
    expect(await page.textContent('[data-testid=git-instructions]')).toContain('git remote add kyozo');
    expect(await page.textContent('#app-list')).toContain('hello-web');
    await shot('02-apps-created');

    await page.goto(`${k.url}/apps/hello-web/deploy`);
    await page.setInputFiles('[data-testid=folder-input]', appFolder());
    await page.waitForSelector('[data-testid=analysis]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=analysis]')).toMatch(/node/);
    expect(await page.locator('svg.topology').count()).toBe(1);
    await shot('03-analysis');

    await page.click('[data-testid=deploy]');
    await page.waitForURL(/\/apps\/hello-web\/releases\/1$/);
    await page.waitForFunction(() => document.querySelector('#release-status .badge')?.textContent === 'live', null, {
      timeout: 150_000,
    });
    expect(await page.textContent('#log')).toContain('Release v1 is live');
    await shot('04-release-log-live');

    const res = await viaProxy(k.proxyPort, 'hello-web.localhost');
    expect(res.body).toBe('hello from the browser upload');
    // Chromium resolves *.localhost to loopback itself (RFC 6761), so the browser opens the app by its
    // real host name through Kyozo's proxy on 127.0.0.1.
    const proxied = await browser.newPage();
    await proxied.goto(`http://hello-web.localhost:${k.proxyPort}/`);
    expect(await proxied.textContent('body')).toContain('hello from the browser upload');
    await proxied.close();

    await page.goto(`${k.url}/apps/hello-web`);
    await shot('05-app');
    await page.fill('article.service input[name=replicas]', '2');
    // Live updates of the cards (metrics change every second here) must not wipe what is being typed.
    await page.waitForTimeout(4500);
    expect(await page.inputValue('article.service input[name=replicas]')).toBe('2');
    await page.click('article.service form:has(input[name=replicas]) button');
    await page.waitForSelector('#flash .alert');
    await waitFor(live(2), 'the scale release to go live', 150_000);
    await waitFor(
      async () => (await page.textContent('article.service [data-testid=replicas]'))?.trim() === '2/2',
      'the card to show 2/2 (SSE)',
      30_000,
    );
    await shot('06-app-scaled');

    await page.click('#release-1 button:has-text("Roll back")');
    await page.waitForSelector('#releases .alert');
    await waitFor(live(3), 'the rollback release to go live', 150_000);
    expect((await viaProxy(k.proxyPort, 'hello-web.localhost')).body).toBe('hello from the browser upload');

    const status = await page.evaluate(() =>
      fetch('/apps', { method: 'POST', body: new URLSearchParams({ name: 'sneaky' }) }).then((r) => r.status),
    );
    expect(status).toBe(403);

    await waitFor(
      async () => {
        await page.goto(`${k.url}/metrics?app=hello-web`);
        return (await page.locator('svg polyline').count()) > 0;
      },
      'the metrics charts to have data',
      30_000,
    );
    for (const [name, path] of [
      ['07-overview', '/'],
      ['08-metrics', '/metrics?app=hello-web'],
      ['09-events', '/events'],
      ['10-tokens', '/tokens'],
    ] as const) {
      await page.goto(`${k.url}${path}`);
      await shot(name);
    }
    await page.click('form.signout button');
    await page.waitForURL(/\/login$/);
    expect((await page.request.get(`${k.url}/apps`, { maxRedirects: 0 })).status()).toBe(303);
    expect(cspViolations).toEqual([]);
  }, 600_000);
});
