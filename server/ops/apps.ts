// App lifecycle: create (with its git repository) and delete (route, its own Docker objects, repository).
import { createApp, deleteApp, deleteAppData, type App } from '../db/apps.ts';
import { listReleases, servicesOf, type ReleaseService } from '../db/releases.ts';
import { replicasOf } from '../db/replicas.ts';
import { createRepo, deleteRepo } from '../git/repos.ts';
import { appNameError } from '../names.ts';
import { recordedVolume } from '../release/volumes.ts';
import { appObjects, LABEL, legacyNetworkName, managedNetworks } from '../runtime/names.ts';
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

export interface DeleteAppOptions {
  /** Keep the app's volumes (its backing services' data); their names are in the answer. */
  keepData?: boolean;
}

/** What deleting an app removed from Docker, and the volumes it left (kept on request, or still in use). */
export interface DeletedApp {
  name: string;
  containers: number;
  images: string[];
  networks: string[];
  volumes: string[];
  keptVolumes: string[];
}

/**
 * Deletes an app: its route, then exactly its own Docker objects of this installation (runtime/names.ts
 * appObjects: labelled kyozo.app = its uid and kyozo.instance) — containers, the images Kyozo built for it
 * (never an image it only ran, such as postgres:16 or a base image), its network and, unless keepData, its
 * volumes — then its repository and row. Objects from before names came from the uid are found through what
 * its releases recorded (removeAppObjects).
 */
export async function deleteAppOp(
  deps: OpsDeps,
  app: App,
  audit?: AuditCtx,
  opts: DeleteAppOptions = {},
): Promise<DeletedApp> {
  const { db } = deps.database;
  await deps.routes.removeApp(app.name);
  const releases = await listReleases(db, app.id, 10_000);
  const rows: ReleaseService[] = [];
  const replicaIds: string[] = [];
  for (const r of releases) {
    rows.push(...(await servicesOf(db, r.id)));
    replicaIds.push(...(await replicasOf(db, r.id)).map((x) => x.containerId));
  }
  const done = await removeAppObjects(deps, app, { rows, replicaIds, keepData: !!opts.keepData });
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
    data: {
      containers: done.containers,
      images: done.images.length,
      networks: done.networks,
      volumes: done.volumes,
      keptVolumes: done.keptVolumes,
    },
  });
  return done;
}

/**
 * Removes one app's Docker objects of this installation. Found by label (kyozo.app = uid, kyozo.instance),
 * plus, for an app deployed before names came from the uid, what its releases recorded: replica containers,
 * images labelled with its name (no installation label then) whose id or tag a release ran, its volumes under
 * the names its releases used (volumes then carried no labels; one labelled for another app is never
 * touched) and its kyozo-<name> network of this installation.
 */
async function removeAppObjects(
  deps: OpsDeps,
  app: App,
  i: { rows: ReleaseService[]; replicaIds: string[]; keepData: boolean },
): Promise<DeletedApp> {
  const { docker, instance } = deps;
  const mine = appObjects({ uid: app.uid, instance });
  const out: DeletedApp = { name: app.name, containers: 0, images: [], networks: [], volumes: [], keptVolumes: [] };

  const containers = new Set([...(await docker.list(mine)).map((c) => c.id), ...i.replicaIds]);
  await Promise.all([...containers].map((id) => docker.stopAndRemove(id, 2)));
  out.containers = containers.size;

  const ran = new Set(i.rows.flatMap((r) => [r.image, r.imageId ?? '']).filter(Boolean));
  const legacyBuilt = (await docker.listImages({ [LABEL.app]: app.name })).filter(
    (img) => !img.labels[LABEL.instance] && (ran.has(img.id) || img.tags.some((t) => ran.has(t))),
  );
  const images = new Map([...(await docker.listImages(mine)), ...legacyBuilt].map((img) => [img.id, img]));
  for (const img of images.values()) {
    // Untag first: an image with two tags cannot be removed by id without force.
    for (const tag of img.tags) await docker.removeImage(tag).catch(() => false);
    if (await docker.removeImage(img.id).catch(() => false)) out.images.push(img.tags[0] ?? img.id);
  }

  const legacyNet = legacyNetworkName(app);
  const networks = [
    ...(await docker.listNetworks(mine)),
    ...(await docker.listNetworks(managedNetworks({ instance }))).filter(
      (n) => n.name === legacyNet && !n.labels[LABEL.app],
    ),
  ];
  for (const n of new Set(networks.map((x) => x.name)))
    if (
      await docker.removeNetwork(n).then(
        () => true,
        () => false, // still in use by a container that is not the app's: left, the app goes anyway
      )
    )
      out.networks.push(n);

  const volumes = new Set((await docker.listVolumes(mine)).map((v) => v.name));
  for (const r of i.rows)
    for (const path of r.volumes) {
      const name = recordedVolume(app, r, path);
      if (!name || volumes.has(name)) continue;
      const v = await docker.inspectVolume(name);
      const owner = v?.labels[LABEL.app];
      if (v && (owner === undefined || (owner === app.uid && v.labels[LABEL.instance] === instance))) volumes.add(name);
    }
  for (const v of [...volumes].sort()) {
    if (!i.keepData && (await docker.removeVolume(v))) out.volumes.push(v);
    else out.keptVolumes.push(v);
  }
  return out;
}
