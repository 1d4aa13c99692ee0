// Scale, resources, stop and start. Formation (replicas and limits per service) lives in the app's
// settings so every later release keeps it; a change rolls out as a 'scale' release of the live images,
// which keeps unchanged containers, adds or drains replicas, and never drops a request.
import { setAppState, type App } from '../db/apps.ts';
import { recordEvent } from '../db/events.ts';
import { deleteReplicasOf, replicasOf } from '../db/replicas.ts';
import { createRelease, liveRelease, servicesOf, type Release } from '../db/releases.ts';
import type { AppSettings } from '../db/schema.ts';
import { getSettings, updateSettings } from '../db/settings.ts';
import { OpError, type OpsDeps } from './deps.ts';
import { restart } from './releases.ts';

type Formation = NonNullable<AppSettings['formation']>;
type Entry = Formation[string] & { stoppedReplicas?: number };

/** Validates `{"web": 3}` (scale) or `{"web": {"memoryMb": 256, "cpus": 0.5}}` (resources) against the live services. */
export function formationPatchError(kind: 'scale' | 'resources', body: unknown, services: string[]): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0)
    return kind === 'scale'
      ? 'body must be an object like {"web": 2}'
      : 'body must be an object like {"web": {"memoryMb": 256, "cpus": 0.5}}';
  for (const [name, v] of Object.entries(body)) {
    if (!services.includes(name)) return `${name} is not a service of the live release (${services.join(', ')})`;
    if (kind === 'scale') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 20)
        return `${name} must be an integer between 0 and 20`;
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return `${name} must be an object with memoryMb and/or cpus`;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'memoryMb' && !(Number.isInteger(x) && (x as number) >= 16 && (x as number) <= 65536))
        return `${name}.memoryMb must be an integer between 16 and 65536`;
      if (k === 'cpus' && !(typeof x === 'number' && x >= 0.05 && x <= 64))
        return `${name}.cpus must be a number between 0.05 and 64`;
      if (k !== 'memoryMb' && k !== 'cpus') return `${name}.${k} is not a resource (memoryMb, cpus)`;
    }
  }
  return null;
}

async function liveOrFail(deps: OpsDeps, app: App): Promise<{ live: Release; services: string[] }> {
  const live = await liveRelease(deps.database.db, app.id);
  if (!live) throw new OpError(422, `app "${app.name}" has no live release`);
  return { live, services: (await servicesOf(deps.database.db, live.id)).map((s) => s.name) };
}

async function rollFormation(
  deps: OpsDeps,
  app: App,
  live: Release,
  change: (f: Formation) => Formation,
  userId: number | null,
) {
  await updateSettings(deps.database.db, app.id, (s) => ({ ...s, formation: change({ ...(s.formation ?? {}) }) }));
  const release = await createRelease(deps.database.db, {
    appId: app.id,
    kind: 'scale',
    baseVersion: live.version,
    config: live.config,
    createdBy: userId,
  });
  await deps.jobs.enqueueDeploy(app.name, release.id);
  return release;
}

export async function scale(deps: OpsDeps, app: App, body: unknown, actor: { userId: number } | null) {
  const { live, services } = await liveOrFail(deps, app);
  const err = formationPatchError('scale', body, services);
  if (err) throw new OpError(400, err);
  const counts = body as Record<string, number>;
  const release = await rollFormation(
    deps,
    app,
    live,
    (f) => {
      for (const [n, c] of Object.entries(counts)) f[n] = { ...f[n], replicas: c };
      return f;
    },
    actor?.userId ?? null,
  );
  await recordEvent(deps.database.db, {
    type: 'scale',
    app: app.name,
    appId: app.id,
    actor,
    message: `scaled ${Object.entries(counts)
      .map(([n, c]) => `${n}=${c}`)
      .join(', ')}`,
    data: counts,
  });
  return release;
}

export async function setResources(deps: OpsDeps, app: App, body: unknown, actor: { userId: number } | null) {
  const { live, services } = await liveOrFail(deps, app);
  const err = formationPatchError('resources', body, services);
  if (err) throw new OpError(400, err);
  const res = body as Record<string, { memoryMb?: number; cpus?: number }>;
  const release = await rollFormation(
    deps,
    app,
    live,
    (f) => {
      for (const [n, r] of Object.entries(res)) f[n] = { ...f[n], ...r };
      return f;
    },
    actor?.userId ?? null,
  );
  await recordEvent(deps.database.db, {
    type: 'resources',
    app: app.name,
    appId: app.id,
    actor,
    message: `resources changed for ${Object.keys(res).join(', ')}`,
    data: res,
  });
  return release;
}

/** Stops the whole app (its hosts answer 503) or one service (scaled to 0, remembered for start). */
export async function stop(deps: OpsDeps, app: App, service: string | null, actor: { userId: number } | null) {
  const { db } = deps.database;
  const { live, services } = await liveOrFail(deps, app);
  await recordEvent(db, {
    type: 'stop',
    app: app.name,
    appId: app.id,
    service,
    actor,
    message: service ? `stopped service ${service}` : 'stopped the app',
  });
  if (service) {
    if (!services.includes(service)) throw new OpError(404, `service "${service}" not found (${services.join(', ')})`);
    const current = (await servicesOf(db, live.id)).find((s) => s.name === service)!;
    return rollFormation(
      deps,
      app,
      live,
      (f) => ({
        ...f,
        [service]: {
          ...f[service],
          stoppedReplicas: (f[service] as Entry)?.replicas || current.replicas,
          replicas: 0,
        } as Entry,
      }),
      actor?.userId ?? null,
    );
  }
  await setAppState(db, app.id, 'stopped');
  await deps.routes.syncApp(app.name);
  const replicas = await replicasOf(db, live.id);
  await Promise.all(replicas.map((r) => deps.docker.stopAndRemove(r.containerId, 10).catch(() => {})));
  await deleteReplicasOf(db, live.id);
  return null;
}

export async function start(deps: OpsDeps, app: App, service: string | null, actor: { userId: number } | null) {
  const { db } = deps.database;
  const { live, services } = await liveOrFail(deps, app);
  await recordEvent(db, {
    type: 'start',
    app: app.name,
    appId: app.id,
    service,
    actor,
    message: service ? `started service ${service}` : 'started the app',
  });
  if (service) {
    if (!services.includes(service)) throw new OpError(404, `service "${service}" not found (${services.join(', ')})`);
    const entry = ((await getSettings(db, app.id)).formation?.[service] ?? {}) as Entry;
    return rollFormation(
      deps,
      app,
      live,
      (f) => ({
        ...f,
        [service]: {
          ...entry,
          replicas: entry.stoppedReplicas || entry.replicas || 1,
          stoppedReplicas: undefined,
        } as Entry,
      }),
      actor?.userId ?? null,
    );
  }
  await setAppState(db, app.id, 'running');
  return restart(deps, { ...app, state: 'running' }, null, actor?.userId ?? null);
}
