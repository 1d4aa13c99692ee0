// Read model of the overview: app summaries, host gauges, recent releases and open alerts, for one principal.
import { desc, eq, sql } from 'drizzle-orm';
import { listAlerts } from '../alerts/store.ts';
import { visibleAppIds } from '../db/apps.ts';
import type { Db } from '../db/client.ts';
import { apps, releases, systemMetrics } from '../db/schema.ts';
import type { Principal } from '../db/users.ts';
import type { Overview } from '../../views/props.ts';
import { appSummaries } from './queries.ts';

export async function overviewData(db: Db, p: Principal): Promise<Overview> {
  const summaries = await appSummaries(db, p);
  const visible = p.isAdmin ? undefined : eq(apps.ownerId, p.userId);
  const [host, recent, alerts] = await Promise.all([
    !p.isAdmin
      ? null
      : db
          .select()
          .from(systemMetrics)
          .where(eq(systemMetrics.tier, 'raw'))
          .orderBy(desc(systemMetrics.at))
          .limit(1)
          .then((r) => r[0] ?? null),
    db
      .select({
        app: apps.name,
        version: releases.version,
        status: releases.status,
        kind: releases.kind,
        commit: releases.commit,
        baseVersion: releases.baseVersion,
        createdAt: releases.createdAt,
        startedAt: releases.startedAt,
        finishedAt: releases.finishedAt,
        error: releases.error,
      })
      .from(releases)
      .innerJoin(apps, eq(apps.id, releases.appId))
      .where(visible)
      .orderBy(desc(releases.createdAt), desc(releases.id))
      .limit(8),
    listAlerts(db, { appIds: p.isAdmin ? null : await visibleAppIds(db, p), state: 'open', limit: 20 }),
  ]);
  const totals = summaries.reduce(
    (t, a) => ({
      apps: t.apps + 1,
      live: t.live + (a.status === 'live' ? 1 : 0),
      services: t.services + a.services,
      running: t.running + a.running,
      crashed: t.crashed + a.crashed,
      deploying: t.deploying + (a.status === 'deploying' ? 1 : 0),
    }),
    { apps: 0, live: 0, services: 0, running: 0, crashed: 0, deploying: 0 },
  );
  // Host gauges are for admins only, like GET /api/system/metrics.
  return { apps: summaries, totals, host, showHost: p.isAdmin, recent, alerts };
}

/** Names of apps visible to the principal (tenant scope of events, alerts and metrics). */
export async function visibleAppNames(db: Db, p: Principal): Promise<string[]> {
  const rows = await db
    .select({ name: apps.name })
    .from(apps)
    .where(p.isAdmin ? undefined : eq(apps.ownerId, p.userId))
    .orderBy(apps.name);
  return rows.map((r) => r.name);
}

/** Service names that have metrics for an app (by id) in a window (for the metrics page's service picker). */
export async function metricServices(db: Db, appId: number, since: Date): Promise<string[]> {
  const rows =
    (await db.execute(sql`select distinct service from metrics where app_id = ${appId} and tier = '1h' and at >= ${since.toISOString()}
    union select distinct service from metrics where app_id = ${appId} and tier = 'raw' and at >= now() - interval '1 hour' order by 1`)) as unknown as {
      service: string;
    }[];
  return rows.map((r) => r.service);
}
