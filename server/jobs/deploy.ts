// The deploy task: a release goes queued → building → deploying → live, or failed with the previous
// release still serving. Pushes build images; config, rollback and restart releases reuse them.
import { getAppById } from '../db/apps.ts';
import { allReplicas, addReplica, deleteReplicasOf, replicasOf, setReleaseReplicasState } from '../db/replicas.ts';
import { deleteReleaseServices, getRelease, getReleaseByVersion, liveRelease, promoteRelease, saveReleaseServices, servicesOf, setReleaseStatus, type NewReleaseService, type Release } from '../db/releases.ts';
import { releaseFailedLine, releaseLiveLine } from '../git/hookRoute.ts';
import { releaseLogger, type ReleaseLogger } from '../logs/releaseLog.ts';
import { secretValues } from '../logs/mask.ts';
import { checkReplica, networkName, removeReplicas, startReplica, type ServicePlan, type StartedReplica } from '../runtime/rollout.ts';
import { InfrastructureError, type JobDeps } from './deps.ts';
import { preparePush } from './prepare.ts';
import { appUrl } from '../urls.ts';
import { INSTANCE_LABEL } from '../instance.ts';

export interface DeployPayload { releaseId: number }

export async function deployRelease(deps: JobDeps, payload: DeployPayload): Promise<void> {
  const release = await getRelease(deps.db, payload.releaseId);
  if (!release || release.status === 'live' || release.status === 'failed' || release.status === 'superseded') return;
  const app = await getAppById(deps.db, release.appId);
  if (!app) return;
  if (!(await deps.docker.ping())) throw new InfrastructureError('Docker engine is unreachable; the deploy will be retried');
  const log = releaseLogger(deps.db, deps.bus, release.id, secretValues(release.config));
  const previous = await liveRelease(deps.db, app.id);
  // A retried job (crash, Docker outage) starts over: drop whatever the last attempt left behind.
  await cleanupAttempt(deps, release.id);
  let started: StartedReplica[] = [];
  try {
    await setReleaseStatus(deps.db, release.id, 'building');
    log(`-----> Release v${release.version} of ${app.name} (${describeKind(release)})`);
    const services = await servicesFor(deps, app.name, release, log);
    await saveReleaseServices(deps.db, release.id, services);
    await setReleaseStatus(deps.db, release.id, 'deploying');
    started = await startAll(deps, app.name, release, services, log);
    log(`-----> Switching routes to v${release.version}`);
    await deps.routes.syncApp(app.name, release.id);
    const url = appUrl(deps.config, app.name);
    log(releaseLiveLine(release.version, url));
    await log.flush();
    await promoteRelease(deps.db, app.id, release.id);
    deps.bus.notify(release.id);
    if (previous) await retire(deps, app.name, previous, log);
    await log.flush();
  } catch (err) {
    const message = (err as Error).message || String(err);
    await removeReplicas(rolloutDeps(deps, log), started.map((r) => r.containerId), 2);
    await deleteReplicasOf(deps.db, release.id);
    if (err instanceof InfrastructureError) {
      await setReleaseStatus(deps.db, release.id, 'queued');
      log(`-----> ${message}`);
      await log.flush();
      throw err;
    }
    const still = previous ? ` — v${previous.version} is still live` : '';
    log(releaseFailedLine(release.version, `${message}${still}`));
    await log.flush();
    await setReleaseStatus(deps.db, release.id, 'failed', { error: message });
    deps.bus.notify(release.id);
    // The previous release keeps serving; make sure the proxy still says so.
    await deps.routes.syncApp(app.name).catch(() => {});
  }
}

function describeKind(r: Release): string {
  if (r.kind === 'push') return `push of ${r.commit?.slice(0, 12)}`;
  if (r.kind === 'rollback') return `rollback to v${r.baseVersion}`;
  if (r.kind === 'config') return `config change on v${r.baseVersion}`;
  return `restart of v${r.baseVersion}`;
}

async function servicesFor(deps: JobDeps, app: string, release: Release, log: ReleaseLogger): Promise<NewReleaseService[]> {
  if (release.kind === 'push') {
    if (!release.commit) throw new Error('push release without a commit');
    return preparePush(deps, { app, releaseId: release.id, version: release.version, commit: release.commit }, log);
  }
  const base = release.baseVersion ? await getReleaseByVersion(deps.db, release.appId, release.baseVersion) : null;
  if (!base) throw new Error(`release v${release.baseVersion} does not exist`);
  const rows = await servicesOf(deps.db, base.id);
  if (rows.length === 0) throw new Error(`release v${base.version} has no services to reuse`);
  for (const s of rows) {
    if (!(await deps.docker.imageExists(s.image))) throw new Error(`image ${s.image} of v${base.version} is gone (cleaned up?)`);
    log(`       ${s.name}: reusing ${s.image}`);
  }
  return rows.map(({ id: _id, releaseId: _r, ...rest }) => rest);
}

async function startAll(deps: JobDeps, app: string, release: Release, services: NewReleaseService[], log: ReleaseLogger) {
  const inUse = new Set((await allReplicas(deps.db)).map((r) => r.port));
  const rd = rolloutDeps(deps, log);
  const started: StartedReplica[] = [];
  const env = release.config;
  if (deps.config.network === 'bridge') await deps.docker.ensureNetwork(networkName(app));
  try {
    for (const svc of services) {
      const plan = toPlan(svc);
      for (let i = 1; i <= plan.replicas; i++) {
        const r = await startReplica(rd, app, release.version, plan, i, env, inUse);
        started.push(r);
        await addReplica(deps.db, { releaseId: release.id, service: r.service, index: r.index, containerId: r.containerId, host: r.host, port: r.port, state: 'starting' });
        log(`-----> Started ${svc.name}#${i} (${r.containerId.slice(0, 12)}) on ${r.host}:${r.port}`);
      }
    }
    log(`-----> Health checks`);
    await Promise.all(started.map((r) => {
      const svc = services.find((s) => s.name === r.service)!;
      return checkReplica(rd, toPlan(svc), r, deps.config.healthTimeoutMs);
    }));
    await setReleaseReplicasState(deps.db, release.id, 'running');
    return started;
  } catch (err) {
    await removeReplicas(rd, started.map((r) => r.containerId), 2);
    throw err;
  }
}

const rolloutDeps = (deps: JobDeps, log: (l: string) => void) =>
  ({ docker: deps.docker, config: deps.config, log, labels: { [INSTANCE_LABEL]: deps.instance } });

function toPlan(s: NewReleaseService): ServicePlan {
  return {
    name: s.name, type: s.type, image: s.image, port: s.port ?? null, healthPath: s.healthPath ?? null,
    replicas: s.replicas ?? 1, memoryMb: s.memoryMb, cpus: Number(s.cpus),
  };
}

/** After the switch: let in-flight requests finish, then stop the old release's replicas. */
async function retire(deps: JobDeps, app: string, previous: Release, log: ReleaseLogger) {
  const old = await replicasOf(deps.db, previous.id);
  if (old.length === 0) return;
  await deps.routes.waitIdle(old.map((r) => r.containerId), deps.config.drainMs);
  await removeReplicas(rolloutDeps(deps, log), old.map((r) => r.containerId));
  await deleteReplicasOf(deps.db, previous.id);
  log(`-----> Stopped ${old.length} replica${old.length === 1 ? '' : 's'} of v${previous.version} (${app})`);
}

async function cleanupAttempt(deps: JobDeps, releaseId: number) {
  const leftovers = await replicasOf(deps.db, releaseId);
  await Promise.all(leftovers.map((r) => deps.docker.stopAndRemove(r.containerId, 1).catch(() => {})));
  await deleteReplicasOf(deps.db, releaseId);
  await deleteReleaseServices(deps.db, releaseId);
}
