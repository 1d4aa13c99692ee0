// App log collector: every few seconds, reads new lines of every replica Kyozo runs, masks the app's
// config values, stores them in app_logs under the app's id (from the replica's release, not a container
// label or a name) and keeps the newest N per app. Lines come from the container's
// json-file log on disk (no Docker API call per cycle); when that file is not readable (Kyozo in a
// container, a remote engine) from DockerPort.logLines with `since`.
import { every } from '../loop.ts';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { insertAppLogs, lastAppLogAt, trimAppLogs, type NewAppLog } from '../db/appLogs.ts';
import { apps, releases, replicas } from '../db/schema.ts';
import { normalizeTimestamp, timestampSeconds } from '../runtime/logLines.ts';
import type { DockerPort, LogLine } from '../runtime/port.ts';
import { readJsonLog } from './jsonFile.ts';
import { maskSecrets, secretValues } from './mask.ts';

export interface AppLogCollectorDeps {
  db: Db;
  docker: DockerPort;
  /** Poll interval. Default 2000 ms (KYOZO_APP_LOG_POLL_MS). */
  pollMs?: number;
  /** Lines kept per app. Default 10,000 (KYOZO_APP_LOG_LINES). */
  keepPerApp?: number;
  /** Lines read per replica per cycle (first read of a replica: its last lines). Default 1000. */
  batch?: number;
  log?: (m: string) => void;
}

export const DEFAULT_APP_LOG_LINES = 10_000;
const MAX_LINE = 8192;

interface Target {
  containerId: string;
  app: string;
  appId: number;
  service: string;
  replica: string;
  secrets: string[];
}

async function targets(db: Db): Promise<Target[]> {
  const rows = await db
    .select({
      containerId: replicas.containerId,
      service: replicas.service,
      index: replicas.index,
      app: apps.name,
      appId: apps.id,
      appConfig: apps.config,
      releaseConfig: releases.config,
      releaseAppId: releases.appId,
    })
    .from(replicas)
    .innerJoin(releases, eq(releases.id, replicas.releaseId))
    .innerJoin(apps, eq(apps.id, releases.appId));
  return rows.map((r) => ({
    containerId: r.containerId,
    app: r.app,
    appId: r.appId,
    service: r.service,
    replica: String(r.index),
    secrets: [
      ...new Set([
        ...secretValues(db.secrets.open(r.appConfig, r.releaseAppId)), // stored encrypted (db/secrets.ts)
        ...secretValues(db.secrets.open(r.releaseConfig, r.releaseAppId)),
      ]),
    ].sort((a, b) => b.length - a.length),
  }));
}

export function startAppLogCollector(deps: AppLogCollectorDeps): {
  stop(): Promise<void>;
  pollOnce(): Promise<number>;
} {
  const keep = deps.keepPerApp ?? DEFAULT_APP_LOG_LINES;
  const batch = deps.batch ?? 1000;
  /** containerId → timestamp (normalised, ns) of the newest line stored. */
  const cursors = new Map<string, string>();
  /** containerId → its json-file log (null: not readable here, use the Docker API) and read offset. */
  const files = new Map<string, { path: string | null; offset: number }>();

  async function newLines(id: string, cursor: string): Promise<LogLine[]> {
    let f = files.get(id);
    if (!f) {
      f = { path: (await deps.docker.inspect(id))?.logPath ?? null, offset: -1 };
      files.set(id, f);
    }
    if (f.path) {
      const r = await readJsonLog(f.path, f.offset);
      if (r) {
        f.offset = r.offset;
        return r.lines;
      }
      f.path = null;
    }
    const since = cursor ? Math.floor(timestampSeconds(cursor)) : 0;
    return deps.docker.logLines(id, { since, tail: batch });
  }

  async function collect(t: Target): Promise<NewAppLog[]> {
    let cursor = cursors.get(t.containerId);
    if (cursor === undefined) {
      const last = await lastAppLogAt(deps.db, t.appId, t.service, t.replica);
      cursor = last ? normalizeTimestamp(last.toISOString())! : '';
    }
    const lines = (await newLines(t.containerId, cursor)).filter((l) => l.at > cursor!).slice(-batch);
    if (lines.length) cursors.set(t.containerId, lines[lines.length - 1].at);
    else cursors.set(t.containerId, cursor);
    return lines.map((l) => ({
      app: t.app,
      appId: t.appId,
      service: t.service,
      replica: t.replica,
      stream: l.stream,
      at: new Date(l.at.slice(0, 23) + 'Z'),
      line: maskSecrets(l.line, t.secrets).slice(0, MAX_LINE),
    }));
  }

  async function pollOnce(): Promise<number> {
    const all = await targets(deps.db);
    const live = new Set(all.map((t) => t.containerId));
    for (const id of cursors.keys()) if (!live.has(id)) cursors.delete(id);
    for (const id of files.keys()) if (!live.has(id)) files.delete(id);
    const byApp = new Map<number, NewAppLog[]>();
    for (let i = 0; i < all.length; i += 8) {
      const chunk = all.slice(i, i + 8);
      const got = await Promise.all(chunk.map((t) => collect(t).catch(() => [] as NewAppLog[]))); // Docker down: next cycle
      chunk.forEach((t, j) => {
        if (got[j].length) byApp.set(t.appId, [...(byApp.get(t.appId) ?? []), ...got[j]]);
      });
    }
    let n = 0;
    for (const [app, rows] of byApp) {
      await insertAppLogs(deps.db, rows);
      await trimAppLogs(deps.db, app, keep);
      n += rows.length;
    }
    return n;
  }

  const loop = every(deps.pollMs ?? 2000, pollOnce, {
    firstDelayMs: 0,
    onError: (e) => deps.log?.(`app logs: ${e.message}`),
  });
  return { pollOnce, stop: () => loop.stop() };
}
