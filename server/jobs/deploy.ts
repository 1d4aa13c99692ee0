// The deploy task: a release goes queued → building → deploying → live, or failed with the previous
// release still serving every service. Pushes build what changed (prepare.ts); config, rollback and
// restart releases reuse images. The rollout (rollout.ts, planned by release/rollout.ts) keeps services
// whose image and env did not change, switches every route at once and retires the rest.
import type { Topology } from '../analysis/types.ts';
import { getAppById, type App } from '../db/apps.ts';
import { safeErrorMessage } from '../db/errors.ts';
import { recordEvent } from '../db/events.ts';
import { deleteReplicasOf, replicasOf } from '../db/replicas.ts';
import {
  deleteReleaseServices,
  getRelease,
  getReleaseByVersion,
  liveRelease,
  promoteRelease,
  saveReleaseServices,
  servicesOf,
  setReleaseAnalysis,
  setReleaseStatus,
  type Release,
} from '../db/releases.ts';
import { getSettings } from '../db/settings.ts';
import { releaseLogger, type ReleaseLogger } from '../logs/releaseLog.ts';
import { maskSecrets, secretValues } from '../logs/mask.ts';
import * as say from '../release/messages.ts';
import { startLayers } from '../release/order.ts';
import { applyFormation, type ServiceSpec } from '../release/spec.ts';
import { assignVolumes } from '../release/volumes.ts';
import { isDockerUnavailable } from '../runtime/breaker.ts';
import { removeReplicas } from '../runtime/rollout.ts';
import { appUrl } from '../urls.ts';
import { InfrastructureError, rolloutDeps, type JobDeps } from './deps.ts';
import { preparePush } from './prepare.ts';
import { rolloutRelease, specsOfRows } from './rollout.ts';

export interface DeployPayload {
  releaseId: number;
  /** Restart releases: services whose containers are replaced even if nothing changed ('all' = every one). */
  restart?: string[] | 'all';
}

export async function deployRelease(deps: JobDeps, payload: DeployPayload): Promise<void> {
  const release = await getRelease(deps.db, payload.releaseId);
  if (!release || release.status === 'live' || release.status === 'failed' || release.status === 'superseded') return;
  const app = await getAppById(deps.db, release.appId);
  if (!app) return;
  if (!(await deps.docker.ping())) throw new InfrastructureError(say.DOCKER_UNREACHABLE);
  const log = releaseLogger(deps.db, deps.bus, release.id, secretValues(release.config));
  const previous = await liveRelease(deps.db, app.id);
  const prevReplicas = previous ? await replicasOf(deps.db, previous.id) : [];
  await cleanupAttempt(deps, release.id, new Set(prevReplicas.map((r) => r.containerId)));
  const started: string[] = [];
  const stoppedBacking: string[] = [];
  const startedAt = Date.now();
  try {
    await setReleaseStatus(deps.db, release.id, 'building');
    log(say.releaseStarted(release.version, app.name, say.releaseKind(release)));
    const prevSpecs = previous ? specsOfRows(await servicesOf(deps.db, previous.id)) : [];
    const found = await servicesFor(deps, app, release, prevSpecs, log);
    const { topology } = found;
    // Each backing service's data paths keep the volumes the live release used (release/volumes.ts).
    const specs = assignVolumes(app, found.specs, prevSpecs, release.kind !== 'push');
    const layers = startLayers(
      specs.map((s) => s.name),
      topology?.dependencies ?? [],
    );
    layers.forEach((layer, i) =>
      layer.forEach((n) => {
        specs.find((s) => s.name === n)!.startOrder = i;
      }),
    );
    await saveReleaseServices(deps.db, release.id, specs);
    await setReleaseStatus(deps.db, release.id, 'deploying');
    if (layers.length > 1) log(say.startOrder(layers));
    await rolloutRelease(deps, {
      app,
      release,
      specs,
      layers,
      dependencies: topology?.dependencies ?? [],
      previous,
      prevSpecs,
      prevReplicas,
      restart: payload.restart,
      log,
      started,
      stoppedBacking,
      afterSwitch: async () => {
        log(say.releaseLiveLine(release.version, appUrl(deps.config, app.name)));
        await log.flush();
        await promoteRelease(deps.db, app.id, release.id);
        deps.bus.notify(release.id);
        await recordEvent(deps.db, {
          type: 'release.live',
          app: app.name,
          appId: app.id,
          message: `v${release.version} is live`,
          data: { version: release.version, kind: release.kind, durationMs: Date.now() - startedAt },
        });
      },
    });
    await log.flush();
  } catch (err) {
    const message = safeErrorMessage(err); // a database error without its query parameters
    await removeReplicas(rolloutDeps(deps, log), started, 2);
    await deleteReplicasOf(deps.db, release.id);
    // Backing services stopped for this release serve the previous one again.
    for (const id of stoppedBacking) {
      await deps.docker.start(id).then(
        () => log(say.backingPutBack(id)),
        (e: Error) => log(say.backingNotPutBack(id, e.message)),
      );
    }
    // Docker unreachable (breaker open, socket gone) mid-deploy: the release waits and the job is retried.
    if (
      err instanceof InfrastructureError ||
      isDockerUnavailable(err) ||
      !(await deps.docker.ping().catch(() => false))
    ) {
      await setReleaseStatus(deps.db, release.id, 'queued');
      log(say.waitingForDocker(message));
      await log.flush();
      throw err instanceof InfrastructureError ? err : new InfrastructureError(say.dockerUnavailable(message));
    }
    log(say.releaseFailedLine(release.version, message, previous?.version ?? null));
    await log.flush();
    await setReleaseStatus(deps.db, release.id, 'failed', { error: message });
    deps.bus.notify(release.id);
    await recordEvent(deps.db, {
      type: 'release.failed',
      level: 'error',
      app: app.name,
      appId: app.id,
      message: `v${release.version} failed: ${maskSecrets(message.split('\n')[0], secretValues(release.config))}`,
      data: { version: release.version, durationMs: Date.now() - startedAt },
    });
    await deps.routes.syncApp(app.name).catch(() => {});
  }
}

async function servicesFor(
  deps: JobDeps,
  app: App,
  release: Release,
  prevSpecs: ServiceSpec[],
  log: ReleaseLogger,
): Promise<{ specs: ServiceSpec[]; topology: Topology | null }> {
  if (release.kind === 'push') {
    if (!release.commit) throw new Error(say.PUSH_WITHOUT_COMMIT);
    const settings = await getSettings(deps.db, app.id);
    return preparePush(
      deps,
      {
        app: app.name,
        uid: app.uid,
        releaseId: release.id,
        version: release.version,
        commit: release.commit,
        settings,
      },
      prevSpecs,
      log,
    );
  }
  const base = release.baseVersion ? await getReleaseByVersion(deps.db, release.appId, release.baseVersion) : null;
  if (!base) throw new Error(say.noSuchRelease(release.baseVersion));
  const formation = (await getSettings(deps.db, app.id)).formation ?? {};
  const specs = specsOfRows(await servicesOf(deps.db, base.id)).map((s) => applyFormation(s, formation[s.name]));
  if (specs.length === 0) throw new Error(say.nothingToReuse(base.version));
  for (const s of specs) {
    if (!(await deps.docker.imageExists(s.imageId ?? s.image)))
      throw new Error(say.imageGone(s.image, base.version, s.name));
    log(say.reusedImage(s.name, s.image));
  }
  await setReleaseAnalysis(deps.db, release.id, base.analysis);
  return { specs, topology: (base.analysis as Topology | null) ?? null };
}

/** A retried job starts over: drop what the last attempt left, except containers the live release uses. */
async function cleanupAttempt(deps: JobDeps, releaseId: number, live: Set<string>) {
  const leftovers = (await replicasOf(deps.db, releaseId)).filter((r) => !live.has(r.containerId));
  await Promise.all(leftovers.map((r) => deps.docker.stopAndRemove(r.containerId, 1).catch(() => {})));
  await deleteReplicasOf(deps.db, releaseId);
  await deleteReleaseServices(deps.db, releaseId);
}
