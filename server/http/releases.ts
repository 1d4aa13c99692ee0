// /api/apps/:name/releases: list, log (text, optionally followed live), analysis.
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { readLogLines } from '../db/logs.ts';
import { getReleaseByVersion, listReleases } from '../db/releases.ts';
import { followReleaseLog } from '../logs/releaseLog.ts';
import { releaseJson } from '../ops/appView.ts';
import type { OpsDeps } from '../ops/deps.ts';
import type { HttpEnv } from './env.ts';
import { intParam } from './json.ts';
import { loadApp, type AppEnv } from './loadApp.ts';

export function releasesRouter(deps: OpsDeps) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();

  const withApp = loadApp(db);
  const loadRelease = async (c: Context<AppEnv>) => {
    const version = intParam(c.req.param('version'), 'version');
    const release = await getReleaseByVersion(db, c.get('app').id, version);
    if (!release) return { error: `release v${version} of "${c.req.param('name')}" not found` } as const;
    return { release } as const;
  };

  r.get('/', withApp, async (c) => c.json((await listReleases(db, c.get('app').id)).map(releaseJson)));

  r.get('/:version/log', withApp, async (c) => {
    const found = await loadRelease(c);
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

  r.get('/:version/analysis', withApp, async (c) => {
    const found = await loadRelease(c);
    if ('error' in found) return c.json({ error: found.error }, 404);
    if (!found.release.analysis)
      return c.json(
        { error: `release v${found.release.version} has no analysis (${found.release.kind} release)` },
        404,
      );
    return c.json(found.release.analysis);
  });

  r.get('/:version', withApp, async (c) => {
    const found = await loadRelease(c);
    if ('error' in found) return c.json({ error: found.error }, 404);
    return c.json(releaseJson(found.release));
  });
  return r;
}
