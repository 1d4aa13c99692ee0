// The active health monitor: every interval, probe every replica of every live release from outside
// (in parallel, bounded, with timeouts), take failing ones out of the proxy at once and replace them.
import { every } from '../loop.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { recordEvent } from '../db/events.ts';
import { monitoredReplicas, setReplicaState } from '../db/replicas.ts';
import { probe, tcpOpen } from '../runtime/health.ts';
import type { DockerPort } from '../runtime/port.ts';
import type { RouteSync } from '../runtime/routeSync.ts';
import {
  afterReplace,
  decide,
  DEFAULT_MONITOR,
  freshHealth,
  type MonitorOptions,
  type Probe,
  type ReplicaHealth,
} from './policy.ts';
import { replaceReplica } from './replace.ts';
import { managedContainers } from '../runtime/names.ts';

export interface MonitorDeps {
  db: Db;
  docker: DockerPort;
  config: Config;
  routes: RouteSync;
  proxy: { mark(id: string, down: boolean, forMs?: number): Promise<void> };
  instance: string;
  /** Called once when a service enters a crash loop (alerts hook). */
  onCrashLoop?(app: string, service: string, message: string): Promise<void> | void;
  log?: (m: string) => void;
}

export interface MonitorSettings {
  intervalMs: number;
  probeTimeoutMs: number;
  concurrency: number;
  policy: MonitorOptions;
}

type Row = Awaited<ReturnType<typeof monitoredReplicas>>[number];

export function startHealthMonitor(deps: MonitorDeps, s: Partial<MonitorSettings> = {}) {
  const settings: MonitorSettings = {
    intervalMs: 10_000,
    probeTimeoutMs: 2_000,
    concurrency: 8,
    policy: DEFAULT_MONITOR,
    ...s,
  };
  const health = new Map<string, ReplicaHealth>();
  let stopped = false;

  async function probeRow(r: Row, running: Map<string, boolean> | null): Promise<Probe> {
    if (running === null) return { ok: true, exited: false }; // Docker unreachable: no verdict
    if (!running.get(r.container_id)) return { ok: false, exited: true };
    if (r.type === 'worker') return { ok: true, exited: false };
    if (r.type === 'web' || r.type === 'static') {
      const path = r.health_path?.startsWith('/') ? r.health_path : '/';
      const status = await probe(`http://${r.host}:${r.port}${path}`, settings.probeTimeoutMs).catch(() => 0);
      return { ok: status > 0 && status < 500, exited: false };
    }
    return { ok: await tcpOpen(r.host, r.port, settings.probeTimeoutMs), exited: false };
  }

  async function handle(r: Row, running: Map<string, boolean> | null) {
    const key = `${r.release_id}:${r.service}:${r.index}`;
    const before = health.get(key) ?? freshHealth();
    const { health: h, actions } = decide(before, await probeRow(r, running), Date.now(), settings.policy);
    health.set(key, h);
    for (const a of actions) {
      if (a === 'mark-down') await deps.proxy.mark(r.container_id, true, 3_600_000).catch(() => {});
      if (a === 'mark-up') await deps.proxy.mark(r.container_id, false).catch(() => {});
      if (a === 'crash-loop') {
        await setReplicaState(deps.db, r.id, 'crashed');
        const msg = `${r.service}#${r.index} of ${r.app} is crash-looping (${h.restarts.length} restarts in ${Math.round(settings.policy.crashLoopWindowMs / 60000)} min); Kyozo stopped restarting it`;
        await recordEvent(deps.db, {
          type: 'service.crashed',
          level: 'error',
          app: r.app,
          appId: r.app_id,
          service: r.service,
          message: msg,
        });
        await deps.onCrashLoop?.(r.app, r.service, msg);
      }
      if (a === 'replace') {
        const ok = await replaceReplica(deps, r).then(
          () => true,
          async (e: Error) => {
            await recordEvent(deps.db, {
              type: 'replica.replace-failed',
              level: 'warning',
              app: r.app,
              appId: r.app_id,
              service: r.service,
              message: `could not replace ${r.service}#${r.index}: ${e.message.split('\n')[0]}`,
            });
            return false;
          },
        );
        health.set(key, afterReplace(h, Date.now(), ok, settings.policy));
      }
    }
  }

  async function tick() {
    const rows = [...(await monitoredReplicas(deps.db))].filter((r) => r.state !== 'crashed');
    // One list call for the state of every container (not one inspect per replica): dockerd stays idle.
    const running = await deps.docker.list(managedContainers({ instance: deps.instance })).then(
      (cs) => new Map(cs.map((c) => [c.id, c.state === 'running'])),
      () => null,
    );
    const live = new Set(rows.map((r) => `${r.release_id}:${r.service}:${r.index}`));
    for (const k of health.keys()) if (!live.has(k)) health.delete(k);
    let next = 0;
    const worker = async () => {
      while (next < rows.length && !stopped)
        await handle(rows[next++], running).catch((e: Error) => deps.log?.(`monitor: ${e.message}`));
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, rows.length) }, worker));
  }

  const loop = every(settings.intervalMs, tick, { onError: (e) => deps.log?.(`monitor: ${e.message}`) });
  return {
    tick,
    async stop() {
      stopped = true;
      await loop.stop();
    },
  };
}
