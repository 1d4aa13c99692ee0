// Read models of the console's app pages: one query for the app list, latest container stats per service.
import { sql } from 'drizzle-orm';
import type { App } from '../db/apps.ts';
import type { Db } from '../db/client.ts';
import type { Release } from '../db/releases.ts';
import type { Principal } from '../db/users.ts';
import { appStatus } from '../ops/appView.ts';
import type { AppSummary, ServiceStats } from '../../views/props.ts';

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** Every app the principal may see with its status and replica counts, in four lateral joins. */
export async function appSummaries(db: Db, p: Principal): Promise<AppSummary[]> {
  const rows = (await db.execute(sql`
    select a.name, a.state, a.created_at, l.version as latest_version, l.status as latest_status, l.created_at as latest_at,
      lv.version as live_version,
      (select count(*) from release_services s where s.release_id = lv.id) as services,
      (select count(*) from replicas r where r.release_id = lv.id) as replicas,
      (select count(*) from replicas r where r.release_id = lv.id and r.state = 'running') as running,
      (select count(*) from replicas r where r.release_id = lv.id and r.state in ('crashed', 'failed')) as crashed
    from apps a
    left join lateral (select version, status, created_at from releases where app_id = a.id order by version desc limit 1) l on true
    left join lateral (select id, version from releases where app_id = a.id and status = 'live' order by version desc limit 1) lv on true
    where ${p.isAdmin} or a.owner_id = ${p.userId}
    order by a.name`)) as unknown as Row[];
  return rows.map((r) => {
    const latest = r.latest_status ? [{ status: r.latest_status } as Release] : [];
    const live = r.live_version !== null ? [{ status: 'live' } as Release] : [];
    return {
      name: String(r.name),
      state: String(r.state),
      createdAt: new Date(r.created_at as string),
      status: appStatus({ state: r.state } as App, [...latest, ...live]),
      liveVersion: num(r.live_version),
      latestVersion: num(r.latest_version),
      latestStatus: (r.latest_status as string) ?? null,
      latestAt: date(r.latest_at),
      services: Number(r.services),
      replicas: Number(r.replicas),
      running: Number(r.running),
      crashed: Number(r.crashed),
    };
  });
}

/** Latest raw container stats per service of an app (by id; summed over replicas), from the last 2 minutes. */
export async function latestServiceStats(db: Db, appId: number): Promise<Map<string, ServiceStats>> {
  const rows = (await db.execute(sql`
    select service, sum(cpu_pct) as cpu, sum(mem_bytes) as mem, sum(mem_limit_bytes) as lim, max(at) as at
    from (select distinct on (service, replica) service, replica, cpu_pct, mem_bytes, mem_limit_bytes, at
          from metrics where app_id = ${appId} and tier = 'raw' and replica <> '' and at > now() - interval '2 minutes'
          order by service, replica, at desc) last
    group by service`)) as unknown as Row[];
  return new Map(
    rows.map((r) => [
      String(r.service),
      { cpuPct: num(r.cpu), memBytes: num(r.mem), memLimitBytes: num(r.lim), at: date(r.at) },
    ]),
  );
}
