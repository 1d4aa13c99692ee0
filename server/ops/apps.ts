// App lifecycle: create (with its git repository) and delete (containers, images, route, repository).
import { createApp, deleteApp, deleteAppData, type App } from '../db/apps.ts';
import { listReleases, servicesOf } from '../db/releases.ts';
import { createRepo, deleteRepo } from '../git/repos.ts';
import { appNameError } from '../names.ts';
import { appContainers, appImages, networkName } from '../runtime/names.ts';
import { OpError, type OpsDeps } from './deps.ts';
import { auditOr, recordEvent, type AuditCtx } from '../db/events.ts';

export async function createAppOp(deps: OpsDeps, ownerId: number, name: unknown, audit?: AuditCtx): Promise<App> {
  const err = appNameError(name);
  if (err) throw new OpError(400, err);
  const app = await createApp(deps.database.db, name as string, ownerId);
  if (!app) throw new OpError(409, `app "${name}" already exists`);
  try {
    await createRepo(deps.reposDir, app.name);
  } catch (e) {
    await deleteApp(deps.database.db, app.id);
    throw e;
  }
  await deps.routes.syncApp(app.name).catch(() => {});
  await recordEvent(deps.database.db, {
    type: 'app.create',
    app: app.name,
    appId: app.id,
    message: `app ${app.name} created`,
    ...auditOr(audit, ownerId),
    data: { ownerId },
  });
  return app;
}

export async function deleteAppOp(deps: OpsDeps, app: App, audit?: AuditCtx): Promise<void> {
  const { db } = deps.database;
  await deps.routes.removeApp(app.name);
  const containers = await deps.docker.list(appContainers({ app: app.name, instance: deps.instance }));
  await Promise.all(containers.map((c) => deps.docker.stopAndRemove(c.id, 2)));
  const images = new Set<string>();
  for (const r of await listReleases(db, app.id, 10_000))
    for (const s of await servicesOf(db, r.id)) images.add(s.image);
  for (const img of await deps.docker.listImages(appImages({ app: app.name }))) images.add(img.id);
  for (const img of images) await deps.docker.removeImage(img).catch(() => false);
  if (deps.config.network === 'bridge') await deps.docker.removeNetwork(networkName({ app: app.name })).catch(() => {});
  await deleteRepo(deps.reposDir, app.name);
  await deleteApp(db, app.id);
  // Its metrics, logs and open alerts go with it (the collectors stopped seeing it with the row above); its
  // audit events stay, readable by admins only, so a new app of this name starts with no history.
  await deleteAppData(db, app.id);
  await recordEvent(db, {
    type: 'app.delete',
    app: app.name,
    appId: app.id,
    level: 'warning',
    message: `app ${app.name} deleted`,
    ...auditOr(audit, null),
    data: { containers: containers.length, images: images.size },
  });
}
