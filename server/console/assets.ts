// Static assets of the console: htmx 2.0.x + htmx-ext-sse from node_modules and the hand-written CSS and JS,
// read once when the console is created (loadAssets), served from versioned URLs with a year-long immutable
// cache; the URLs go to the layout as props.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AssetUrls } from '../../views/props.ts';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const version = (name: string) =>
  (JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')) as { version: string }).version;
const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 12);

interface Asset {
  body: Buffer;
  type: string;
  version: string;
}

/** The console's static files, read once, and their versioned URLs for the layout. */
export interface ConsoleAssets {
  files: Record<string, Asset>;
  urls: AssetUrls;
}

/** Reads htmx, the SSE extension, the CSS and the JS; called once by consoleRouter. */
export function loadAssets(): ConsoleAssets {
  const files: Record<string, Asset> = {};
  const load = (name: string, path: string, type: string, v?: string) => {
    const body = readFileSync(path);
    files[name] = { body, type, version: v ?? hash(body) };
  };
  const js = 'text/javascript; charset=utf-8';
  load('htmx.min.js', join(pkgDir('htmx.org'), 'dist', 'htmx.min.js'), js, version('htmx.org'));
  load('sse.js', join(pkgDir('htmx-ext-sse'), 'dist', 'sse.min.js'), js, version('htmx-ext-sse'));
  load('console.css', fileURLToPath(new URL('../../views/console.css', import.meta.url)), 'text/css; charset=utf-8');
  load('console.js', fileURLToPath(new URL('../../views/console.js', import.meta.url)), js);
  const url = (name: string) => `/assets/${name}?v=${files[name].version}`;
  return {
    files,
    urls: { htmx: url('htmx.min.js'), sse: url('sse.js'), css: url('console.css'), js: url('console.js') },
  };
}

export function assetsRouter({ files }: ConsoleAssets) {
  const r = new Hono();
  r.get('/assets/:file', (c) => {
    const a = files[c.req.param('file')];
    if (!a) return c.text('not found', 404);
    const immutable = c.req.query('v') === a.version;
    return c.body(new Uint8Array(a.body), 200, {
      'Content-Type': a.type,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ETag: `"${a.version}"`,
    });
  });
  return r;
}
