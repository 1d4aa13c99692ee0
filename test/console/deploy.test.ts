// Deploy a folder through the console routes: upload → analysis HTML → Deploy → commit on main + release.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAppByName } from '../../server/db/apps.ts';
import { listReleases } from '../../server/db/releases.ts';
import { signedInConsole, type Client, type ConsoleHarness } from './harness.ts';
import { makeZip } from './zip.ts';

const files = {
  'hello/package.json': JSON.stringify({
    name: 'hello',
    scripts: { start: 'node index.js' },
    dependencies: { express: '^4', pg: '^8' },
  }),
  'hello/index.js': "require('express')().listen(process.env.PORT)",
  'hello/docker-compose.yml': 'services:\n  web:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:16\n',
};

function upload(
  c: Client,
  app: string,
  entries: Record<string, string>,
  opts: { htmx?: boolean; field?: string; archive?: { name: string; data: Buffer } } = {},
) {
  const form = new FormData();
  form.set('_csrf', c.csrf);
  for (const [name, content] of Object.entries(entries)) form.append(opts.field ?? 'files', new File([content], name));
  if (opts.archive) form.set('archive', new File([new Uint8Array(opts.archive.data)], opts.archive.name));
  return c.request(`/apps/${app}/deploy`, { method: 'POST', body: form, htmx: opts.htmx });
}

describe('console deploy a folder', () => {
  let h: ConsoleHarness;
  let c: Client;
  beforeAll(async () => {
    ({ h, c } = await signedInConsole());
    await c.post('/apps', { name: 'hello' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('renders the drop zone with a directory input and an archive input', async () => {
    const { html } = await c.page('/apps/hello/deploy');
    expect(html).toContain('webkitdirectory');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('accept=".zip,.tar.gz,.tgz"');
  });

  it('analyzes an uploaded folder and deploys it as a commit on main', async () => {
    const res = await upload(c, 'hello', files, { htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="analysis"');
    expect(html).toMatch(/data-service="web"/);
    expect(html).toMatch(/data-service="db"/);
    expect(html).toContain('<svg class="topology"');
    expect(html).toMatch(/data-testid="confidence">\d+%/);
    const action = /action="(\/apps\/hello\/deploy\/[0-9a-f]{24})"/.exec(html)![1];
    const before = h.enqueued.length;
    const deployed = await c.post(action);
    expect(deployed.status).toBe(303);
    expect(deployed.headers.get('location')).toBe('/apps/hello/releases/1');
    expect(h.enqueued.length).toBe(before + 1);
    const app = (await getAppByName(h.t.db, 'hello'))!;
    const [release] = await listReleases(h.t.db, app.id);
    const repo = join(h.deps.reposDir, 'hello.git');
    expect(release.commit).toBe(execFileSync('git', ['--git-dir', repo, 'rev-parse', 'main']).toString().trim());
    expect(
      execFileSync('git', ['--git-dir', repo, 'ls-tree', '--name-only', 'main'])
        .toString()
        .split('\n')
        .filter(Boolean)
        .sort(),
    ).toEqual(['docker-compose.yml', 'index.js', 'package.json']);
    expect((await c.post(action)).status).toBe(404); // an upload deploys once
  });

  it('refuses path traversal, empty uploads and uploads without CSRF', async () => {
    const bad = await upload(c, 'hello', { '../../evil.js': 'x' }, { htmx: true });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/traversal/);
    expect((await upload(c, 'hello', {})).status).toBe(400);
    const form = new FormData();
    form.append('files', new File(['x'], 'a/b.js'));
    expect((await c.request('/apps/hello/deploy', { method: 'POST', body: form })).status).toBe(403);
  });

  it('accepts a .zip archive and reports dropped symlinks', async () => {
    const zip = makeZip([
      { name: 'index.html', data: '<h1>hi</h1>' },
      { name: 'escape', data: '/etc/passwd', symlink: true },
    ]);
    const res = await upload(c, 'hello', {}, { htmx: true, archive: { name: 'site.zip', data: zip } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Dropped: escape');
    expect(html).toContain('data-testid="analysis"');
  });

  it('answers 404 for deploys to apps the user cannot see', async () => {
    expect((await c.request('/apps/nope/deploy')).status).toBe(404);
  });
});
