// Route-test harness for the console: real Postgres (fresh db), fake Docker and jobs, the full hono app
// (createApp mounts the console), and a tiny cookie-carrying client around app.request().
import { parseMetricsConfig } from '../../server/metrics/config.ts';
import { Registry } from '../../server/metrics/prometheus.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../server/config.ts';
import { bootstrapAdmin } from '../../server/db/users.ts';
import { createApp } from '../../server/http/app.ts';
import { LogBus } from '../../server/logs/releaseLog.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';
import { RouteSync, type RouteSink } from '../../server/runtime/routeSync.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

export const ADMIN_TOKEN = 'kz_console_test_admin_token_0123456789';

export async function consoleHarness() {
  const t: TestDb = await createTestDb();
  const dataDir = mkdtempSync(join(tmpdir(), 'kyozo-console-'));
  const config = parseConfig({ KYOZO_DATA_DIR: dataDir, KYOZO_PORT: '3000', KYOZO_PROXY_PORT: '8080' });
  const sink: RouteSink = {
    setApp: async () => {},
    removeApp: async () => {},
    replaceAll: async () => {},
    waitIdle: async () => {},
  };
  const enqueued: { app: string; releaseId: number }[] = [];
  const deps = {
    database: t,
    docker: createFakeDockerPort(),
    config,
    bus: new LogBus(),
    routes: new RouteSync(t.db, sink),
    jobs: {
      enqueueDeploy: async (app: string, releaseId: number) => {
        enqueued.push({ app, releaseId });
      },
    },
    reposDir: join(dataDir, 'repos'),
    instance: 'test',
    hookSecret: 'secret',
    metricsConfig: parseMetricsConfig({}),
    registry: new Registry(),
  };
  await bootstrapAdmin(t.db, ADMIN_TOKEN);
  const app = createApp(deps);
  return {
    t,
    deps,
    app,
    enqueued,
    client: () => new Client(app),
    async close() {
      await t.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export class Client {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(private app: ReturnType<typeof createApp>) {}

  async request(path: string, init: RequestInit & { form?: Record<string, string>; htmx?: boolean } = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (init.htmx) headers.set('hx-request', 'true');
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const res = await this.app.request(`http://localhost${path}`, { ...init, headers, body });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const value = pair.slice(i + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, i));
      else this.cookies.set(pair.slice(0, i), value);
    }
    return res;
  }

  async page(path: string) {
    const res = await this.request(path);
    const html = await res.text();
    const m =
      /X-CSRF-Token&quot;:&quot;([^&]+)&quot;|"X-CSRF-Token":"([^"]+)"/.exec(html) ??
      /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1] ?? m[2];
    return { res, html };
  }

  post(path: string, form: Record<string, string> = {}, opts: { htmx?: boolean; csrf?: boolean } = {}) {
    return this.request(path, {
      method: 'POST',
      form: opts.csrf === false ? form : { _csrf: this.csrf, ...form },
      htmx: opts.htmx,
    });
  }

  async signIn(email = 'admin@localhost', password = ADMIN_TOKEN) {
    await this.page('/login');
    const res = await this.post('/login', { email, password });
    if (res.status === 303) await this.page('/apps');
    return res;
  }
}

/** A harness with a client already signed in as the admin (the setup most console tests start from). */
export async function signedInConsole() {
  const h = await consoleHarness();
  const c = h.client();
  await c.signIn();
  return { h, c };
}

export type ConsoleHarness = Awaited<ReturnType<typeof consoleHarness>>;

/** Reads a Server-Sent Events response until its text contains `marker`, then closes it. */
export async function readStreamUntil(res: Response, marker: string): Promise<string> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}
