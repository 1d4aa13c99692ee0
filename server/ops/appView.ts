// The JSON shape of an app as the API (and console) show it: live release, status, services, replicas.
import type { App } from '../db/apps.ts';
import type { Db } from '../db/client.ts';
import { listReleases, servicesOf, type Release } from '../db/releases.ts';
import { replicasOf } from '../db/replicas.ts';
import type { Config } from '../config.ts';
import { appUrl, gitUrl } from '../urls.ts';

export function releaseJson(r: Release) {
  return {
    version: r.version,
    status: r.status,
    kind: r.kind,
    commit: r.commit,
    baseVersion: r.baseVersion,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
  };
}

/** Overall status: stopped, live, deploying, failed (nothing live, last one failed) or new. */
export function appStatus(app: App, releases: Release[]): string {
  if (app.state === 'stopped') return 'stopped';
  const latest = releases[0];
  if (latest && ['queued', 'building', 'deploying'].includes(latest.status)) return 'deploying';
  if (releases.some((r) => r.status === 'live')) return 'live';
  if (latest?.status === 'failed') return 'failed';
  return 'new';
}

/** running (all replicas up), crashed (one is crash-looping), degraded (some down), stopped or starting. */
export function serviceStatus(appState: string, wanted: number, replicas: { state: string }[]): string {
  if (appState === 'stopped' || wanted === 0) return 'stopped';
  if (replicas.some((r) => r.state === 'crashed')) return 'crashed';
  const up = replicas.filter((r) => r.state === 'running').length;
  if (up >= wanted) return 'running';
  return up === 0 ? 'starting' : 'degraded';
}

export async function appJson(db: Db, config: Config, app: App, requestHost?: string) {
  const releases = await listReleases(db, app.id, 50);
  const live = releases.find((r) => r.status === 'live') ?? null;
  const [services, replicas] = live ? await Promise.all([servicesOf(db, live.id), replicasOf(db, live.id)]) : [[], []];
  return {
    name: app.name,
    gitUrl: gitUrl(config, app.name, requestHost),
    url: appUrl(config, app.name),
    status: appStatus(app, releases),
    state: app.state,
    createdAt: app.createdAt,
    liveRelease: live ? releaseJson(live) : null,
    latestRelease: releases[0] ? releaseJson(releases[0]) : null,
    services: services.map((s) => ({
      name: s.name,
      type: s.type,
      status: serviceStatus(
        app.state,
        s.replicas,
        replicas.filter((r) => r.service === s.name),
      ),
      image: s.image,
      port: s.port,
      healthPath: s.healthPath,
      primary: s.primary,
      url: s.routed ? appUrl(config, app.name, s.name) : null,
      memoryMb: s.memoryMb,
      cpus: Number(s.cpus),
      replicaCount: s.replicas,
      replicas: replicas
        .filter((r) => r.service === s.name)
        .map((r) => ({ index: r.index, containerId: r.containerId, host: r.host, port: r.port, state: r.state })),
    })),
  };
}
