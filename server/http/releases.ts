// /api/apps/:name/releases: list, log (text, optionally followed live), analysis.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { getApp } from '../db/apps.ts';
import { readLogLines } from '../db/logs.ts';
import { getReleaseByVersion, listReleases } from '../db/releases.ts';
import { followReleaseLog } from '../logs/releaseLog.ts';
import { releaseJson } from '../ops/appView.ts';
import type { OpsDeps } from '../ops/deps.ts';
import type { HttpEnv } from './env.ts';

export function releasesRouter(deps: OpsDeps) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();

  const loadRelease = async (principal: HttpEnv['Variables']['principal'], name: string, v: string) => {
    const app = await getApp(db, principal, name);
    if (!app) return { error: `app "${name}" not found` } as const;
    const version = Number(v);
    const release = Number.isInteger(version) && version > 0 ? await getReleaseByVersion(db, app.id, version) : null;
    if (!release) return { error: `release v${v} of "${name}" not found` } as const;
    return { app, release } as const;
  };

  r.get('/', async (c) => {
    const app = await getApp(db, c.get('principal'), c.req.param('name')!);
    if (!app) return c.json({ error: `app "${c.req.param('name')}" not found` }, 404);
    return c.json((await listReleases(db, app.id)).map(releaseJson));
  });

  r.get('/:version/log', async (c) => {
    const found = await loadRelease(c.get('principal'), c.req.param('name')!, c.req.param('version'));
    if ('error' in found) return c.json({ error: found.error }, 404);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    if (c.req.query('follow') === '1') {
      return stream(c, async (s) => {
        const ac = new AbortController();
        s.onAbort(() => ac.abort());
        await followReleaseLog(db, deps.bus, found.release.id, (line) => void s.write(line + '\n'), ac.signal);
      });
    }
    const lines: string[] = [];
    for (let after = 0; ;) {
      const rows = await readLogLines(db, found.release.id, after);
      if (rows.length === 0) break;
      for (const row of rows) lines.push(row.line);
      after = rows[rows.length - 1].id;
    }
    return c.body(lines.length ? lines.join('\n') + '\n' : '');
  });

  r.get('/:version/analysis', async (c) => {
    const found = await loadRelease(c.get('principal'), c.req.param('name')!, c.req.param('version'));
    if ('error' in found) return c.json({ error: found.error }, 404);
    if (!found.release.analysis)
      return c.json(
        { error: `release v${found.release.version} has no analysis (${found.release.kind} release)` },
        404,
      );
    return c.json(found.release.analysis);
  });

  r.get('/:version', async (c) => {
    const found = await loadRelease(c.get('principal'), c.req.param('name')!, c.req.param('version'));
    if ('error' in found) return c.json({ error: found.error }, 404);
    return c.json(releaseJson(found.release));
  });
  return r;
}
