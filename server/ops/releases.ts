// Making releases: from a push, a config change, a rollback or a restart. Each one is a deploy job.
import { setAppConfig, type App } from '../db/apps.ts';
import { createRelease, getReleaseByVersion, liveRelease, servicesOf, type Release } from '../db/releases.ts';
import { INT4_MAX, intError } from '../ints.ts';
import { configKeyError } from '../names.ts';
import { OpError, type OpsDeps } from './deps.ts';
import { auditOr, recordEvent, type AuditCtx } from '../db/events.ts';

export async function releasePush(
  deps: OpsDeps,
  app: App,
  commit: string,
  userId: number | null,
  audit?: AuditCtx,
): Promise<Release> {
  const release = await createRelease(deps.database.db, {
    appId: app.id,
    kind: 'push',
    commit,
    config: app.config,
    createdBy: userId,
  });
  await deps.jobs.enqueueDeploy(app.name, release.id);
  await recordEvent(deps.database.db, {
    type: 'release.create',
    app: app.name,
    appId: app.id,
    message: `v${release.version} queued: push of ${commit.slice(0, 12)}`,
    ...auditOr(audit, userId),
    data: { version: release.version, kind: 'push', commit },
  });
  return release;
}

/** Validates a `{"KEY": "value" | null}` patch; returns the error naming the field, or null. */
export function configPatchError(patch: unknown): string | null {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return 'body must be a JSON object of KEY: "value" | null';
  for (const [k, v] of Object.entries(patch)) {
    const e = configKeyError(k);
    if (e) return e;
    if (v !== null && typeof v !== 'string') return `${k} must be a string or null`;
    if (typeof v === 'string' && v.length > 32_768) return `${k} is longer than 32 KiB`;
    if (typeof v === 'string' && v.includes('\0')) return `${k} contains a NUL byte, which a config value cannot hold`;
    if (typeof v === 'string' && LONE_SURROGATE.test(v))
      return `${k} contains an unpaired surrogate (not valid Unicode)`;
  }
  return null;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function applyConfigPatch(
  config: Record<string, string>,
  patch: Record<string, string | null>,
): Record<string, string> {
  const next = { ...config };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}

/** Saves the config; when something is live, rolls it out as a new release of the live images. */
export async function changeConfig(
  deps: OpsDeps,
  app: App,
  patch: Record<string, string | null>,
  userId: number | null,
  audit?: AuditCtx,
) {
  const err = configPatchError(patch);
  if (err) throw new OpError(400, err);
  const config = applyConfigPatch(app.config, patch);
  await setAppConfig(deps.database.db, app.id, config);
  const live = await liveRelease(deps.database.db, app.id);
  const release = live
    ? await createRelease(deps.database.db, {
        appId: app.id,
        kind: 'config',
        baseVersion: live.version,
        config,
        createdBy: userId,
      })
    : null;
  if (release) await deps.jobs.enqueueDeploy(app.name, release.id);
  // Keys only, never values.
  const set = Object.keys(patch)
    .filter((k) => patch[k] !== null)
    .sort();
  const unset = Object.keys(patch)
    .filter((k) => patch[k] === null)
    .sort();
  await recordEvent(deps.database.db, {
    type: 'config.set',
    app: app.name,
    appId: app.id,
    message: `config: ${[...set.map((k) => `set ${k}`), ...unset.map((k) => `unset ${k}`)].join(', ') || 'no change'}`,
    ...auditOr(audit, userId),
    data: { set, unset, version: release?.version ?? null },
  });
  return { config, release };
}

export async function rollback(
  deps: OpsDeps,
  app: App,
  version: number,
  userId: number | null,
  audit?: AuditCtx,
): Promise<Release> {
  const invalid = intError(version, 'version', 1, INT4_MAX);
  if (invalid) throw new OpError(400, invalid);
  const target = await getReleaseByVersion(deps.database.db, app.id, version);
  if (!target) throw new OpError(404, `release v${version} does not exist`);
  if (target.status === 'failed' || target.status === 'queued' || target.status === 'building')
    throw new OpError(422, `release v${version} never went live (status ${target.status})`);
  await setAppConfig(deps.database.db, app.id, target.config);
  const release = await createRelease(deps.database.db, {
    appId: app.id,
    kind: 'rollback',
    baseVersion: target.version,
    config: target.config,
    createdBy: userId,
  });
  await deps.jobs.enqueueDeploy(app.name, release.id);
  await recordEvent(deps.database.db, {
    type: 'rollback',
    app: app.name,
    appId: app.id,
    message: `rollback to v${target.version} (as v${release.version})`,
    ...auditOr(audit, userId),
    data: { to: target.version, version: release.version },
  });
  return release;
}

/** Replaces the containers of one service (or all) with fresh ones, zero downtime: a restart release of the live images. */
export async function restart(
  deps: OpsDeps,
  app: App,
  service: string | null,
  userId: number | null,
  audit?: AuditCtx,
): Promise<Release> {
  const live = await liveRelease(deps.database.db, app.id);
  if (!live) throw new OpError(422, `app "${app.name}" has no live release to restart`);
  if (service !== null) {
    const names = (await servicesOf(deps.database.db, live.id)).map((s) => s.name);
    if (!names.includes(service))
      throw new OpError(404, `service "${service}" not found in v${live.version} (${names.join(', ')})`);
  }
  const release = await createRelease(deps.database.db, {
    appId: app.id,
    kind: 'restart',
    baseVersion: live.version,
    config: live.config,
    createdBy: userId,
  });
  await deps.jobs.enqueueDeploy(app.name, release.id, { restart: service === null ? 'all' : [service] });
  await recordEvent(deps.database.db, {
    type: 'restart',
    app: app.name,
    appId: app.id,
    service,
    message: `restart of ${service ?? 'every service'} (v${release.version})`,
    ...auditOr(audit, userId),
    data: { version: release.version },
  });
  return release;
}
