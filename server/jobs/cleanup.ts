// Scheduled cleanup (graphile-worker crontab, hourly): images of releases older than the last N per app,
// stopped/orphaned containers of this installation, stale build contexts, old events, app logs past the
// per-app bound (+ metrics retention when a policy is given). Each part fails on its own.
import { envNumber } from '../config.ts';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { appsWithLogs, purgeLogsOfDeletedApps, trimAppLogs } from '../db/appLogs.ts';
import { purgeEvents } from '../db/events.ts';
import { allReplicas } from '../db/replicas.ts';
import { apps, releases, releaseServices } from '../db/schema.ts';
import { DEFAULT_APP_LOG_LINES } from '../logs/appLogs.ts';
import { enforceRetention, type RetentionPolicy } from '../metrics/rollup.ts';
import { anyAppContainers, instanceContainers, LABEL } from '../runtime/names.ts';
import type { DockerPort } from '../runtime/port.ts';

export const CLEANUP_CRONTAB = '0 * * * * cleanup ?max=1&jobKey=kyozo-cleanup&jobKeyMode=preserve_run_at';
const IN_PROGRESS = ['queued', 'building', 'deploying'] as const;

export interface CleanupDeps {
  db: Db;
  docker: DockerPort;
  instance: string;
  buildsDir: string;
}
export interface CleanupOptions {
  keepReleases?: number; // KYOZO_KEEP_RELEASES, default 5
  eventsRetentionDays?: number; // KYOZO_EVENTS_RETENTION_DAYS, default 90
  appLogLines?: number; // KYOZO_APP_LOG_LINES, default 10,000
  buildMaxAgeMs?: number; // default 1 h
  /** Running containers nobody references are removed only when older than this. Default 10 min. */
  orphanGraceMs?: number;
  metrics?: RetentionPolicy;
  now?: number;
}
export interface CleanupReport {
  images: string[];
  imagesInUse: string[];
  containers: string[];
  buildDirs: string[];
  events: number;
  appLogs: number;
  metrics: number | null;
  errors: string[];
}

export function cleanupOptionsFromEnv(env: Record<string, string | undefined>): CleanupOptions {
  const int = (k: string, d: number, min: number) => envNumber(env, k, d, min, Number.MAX_SAFE_INTEGER);
  return {
    keepReleases: int('KYOZO_KEEP_RELEASES', 5, 1),
    eventsRetentionDays: int('KYOZO_EVENTS_RETENTION_DAYS', 90, 1),
    appLogLines: int('KYOZO_APP_LOG_LINES', DEFAULT_APP_LOG_LINES, 100),
  };
}

export async function runCleanup(deps: CleanupDeps, opts: CleanupOptions = {}): Promise<CleanupReport> {
  const { db, docker } = deps;
  const now = opts.now ?? Date.now();
  const r: CleanupReport = {
    images: [],
    imagesInUse: [],
    containers: [],
    buildDirs: [],
    events: 0,
    appLogs: 0,
    metrics: null,
    errors: [],
  };
  const part = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      r.errors.push(`${name}: ${(e as Error).message}`);
    }
  };
  const rels = await db
    .select({ id: releases.id, version: releases.version, status: releases.status, app: apps.name, uid: apps.uid })
    .from(releases)
    .innerJoin(apps, eq(apps.id, releases.appId));
  // Containers carry the app's uid in kyozo.app (its name on those started before); build dirs its name.
  const busy = new Set(
    rels
      .filter((x) => (IN_PROGRESS as readonly string[]).includes(x.status))
      .flatMap((x) => [`${x.app}/${x.version}`, `${x.uid}/${x.version}`]),
  );

  await part('containers', async () => {
    const referenced = new Set((await allReplicas(db)).map((x) => x.containerId));
    for (const c of await docker.list(instanceContainers({ instance: deps.instance }))) {
      if (referenced.has(c.id) || busy.has(`${c.labels[LABEL.app]}/${c.labels[LABEL.release]}`)) continue;
      if (c.state === 'running' && now - c.created * 1000 < (opts.orphanGraceMs ?? 600_000)) continue;
      await docker.stopAndRemove(c.id, 5);
      r.containers.push(c.id);
    }
  });

  await part('images', async () => {
    const keepN = opts.keepReleases ?? 5;
    const keep = new Set<number>();
    const byApp = new Map<string, typeof rels>();
    for (const x of rels) byApp.set(x.app, [...(byApp.get(x.app) ?? []), x]);
    for (const list of byApp.values()) {
      list
        .sort((a, b) => b.version - a.version)
        .forEach((x, i) => {
          if (i < keepN || x.status === 'live' || (IN_PROGRESS as readonly string[]).includes(x.status)) keep.add(x.id);
        });
    }
    const svcs = rels.length
      ? await db
          .select({
            releaseId: releaseServices.releaseId,
            image: releaseServices.image,
            imageId: releaseServices.imageId,
          })
          .from(releaseServices)
          .where(
            inArray(
              releaseServices.releaseId,
              rels.map((x) => x.id),
            ),
          )
      : [];
    const kept = new Set(svcs.filter((s) => keep.has(s.releaseId)).map((s) => s.image));
    const running = await docker.list(anyAppContainers());
    for (const c of running) kept.add(c.image);
    // Replicas start from the recorded image id: a tag whose image a container runs is in use too.
    for (const s of svcs) if (s.imageId && kept.has(s.imageId)) kept.add(s.image);
    for (const image of new Set(svcs.filter((s) => !keep.has(s.releaseId) && !kept.has(s.image)).map((s) => s.image))) {
      if (!(await docker.imageExists(image))) continue; // removed by an earlier run
      if (await docker.removeImage(image)) r.images.push(image);
      else r.imagesInUse.push(image);
    }
  });

  await part('builds', async () => {
    for (const app of await readdir(deps.buildsDir).catch(() => [] as string[])) {
      const dir = join(deps.buildsDir, app);
      if (!(await stat(dir)).isDirectory()) continue;
      for (const v of await readdir(dir)) {
        const p = join(dir, v);
        if (
          busy.has(`${app}/${v.replace(/^v/, '')}`) ||
          now - (await stat(p)).mtimeMs < (opts.buildMaxAgeMs ?? 3_600_000)
        )
          continue;
        await rm(p, { recursive: true, force: true });
        r.buildDirs.push(p);
      }
      if ((await readdir(dir)).length === 0) await rm(dir, { recursive: true, force: true });
    }
  });

  await part('events', async () => {
    r.events = await purgeEvents(db, new Date(now - (opts.eventsRetentionDays ?? 90) * 86_400_000));
  });
  await part('app logs', async () => {
    r.appLogs = await purgeLogsOfDeletedApps(db);
    for (const app of await appsWithLogs(db))
      r.appLogs += await trimAppLogs(db, app, opts.appLogLines ?? DEFAULT_APP_LOG_LINES);
  });
  if (opts.metrics)
    await part('metrics', async () => {
      r.metrics = await enforceRetention(db, opts.metrics!, new Date(now));
    });
  return r;
}

/** graphile-worker task: `cleanup` in the task list, scheduled by CLEANUP_CRONTAB. */
export const cleanupTask =
  (deps: CleanupDeps, opts: CleanupOptions = {}, log: (m: string) => void = console.log) =>
  async () => {
    const r = await runCleanup(deps, opts);
    log(
      `[cleanup] removed ${r.images.length} images (${r.imagesInUse.length} in use), ${r.containers.length} containers, ${r.buildDirs.length} build dirs, ${r.events} events, ${r.appLogs} app log lines${r.errors.length ? `; errors: ${r.errors.join('; ')}` : ''}`,
    );
  };
