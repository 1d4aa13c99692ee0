// The overview page and its live SSE stream (fragments re-rendered every 3 s, sent when changed).
import { Hono } from 'hono';
import { AppList } from '../../views/AppsPage.tsx';
import { OpenAlerts, OverviewPage, OverviewStats, RecentReleases } from '../../views/OverviewPage.tsx';
import { viewer, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { html, liveFragments } from './live.ts';
import { requireSession } from './middleware.ts';
import { overviewData } from './queriesOverview.ts';

export function overviewRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);

  r.get('/', auth, async (c) =>
    c.html(<OverviewPage viewer={viewer(c)} assets={deps.assets} data={await overviewData(db, c.get('principal'))} />),
  );

  r.get('/events/stream/overview', auth, (c) =>
    liveFragments(
      c,
      async () => {
        const data = await overviewData(db, c.get('principal'));
        return {
          stats: await html(<OverviewStats data={data} />),
          apps: await html(<AppList apps={data.apps} />),
          alerts: await html(<OpenAlerts data={data} />),
          releases: await html(<RecentReleases data={data} />),
        };
      },
      { intervalMs: 3000 },
    ),
  );
  return r;
}
