// The metrics loop, in process: every interval collect → write raw rows → evaluate alerts; every minute
// roll up; every hour enforce retention. Cycles never overlap (a slow one makes the next one skip).
import { AlertEngine } from '../alerts/engine.ts';
import { WebhookQueue, type WebhookOptions } from '../alerts/webhook.ts';
import { collectOnce, type CollectDeps, type Observation } from './collect.ts';
import type { MetricsConfig } from './config.ts';
import type { Registry } from './prometheus.ts';
import { enforceRetention, rollup } from './rollup.ts';
import { ContainerSampler } from './sampler.ts';
import { HostSampler } from './system.ts';

export interface MonitorDeps extends CollectDeps {
  dataDir: string;
  config: MetricsConfig;
  registry?: Registry;
  webhook?: WebhookOptions;
  log?: (m: string) => void;
}

export interface Monitor {
  /** One full cycle now (collect, alerts, and rollup/retention when due). */
  runOnce(now?: number): Promise<Observation | null>;
  readonly sampler: ContainerSampler;
  readonly alerts: AlertEngine;
  readonly webhooks: WebhookQueue;
  stop(): Promise<void>;
}

export function createMonitor(deps: MonitorDeps): Monitor {
  const log = deps.log ?? ((m: string) => console.error(`[metrics] ${m}`));
  const sampler = new ContainerSampler(deps.docker, {
    concurrency: deps.config.statsConcurrency,
    cgroupRoot: deps.config.cgroupRoot,
  });
  const host = new HostSampler(deps.dataDir);
  const webhooks = new WebhookQueue(deps.webhook);
  const alerts = new AlertEngine({ db: deps.db, webhooks });
  const reg = deps.registry;
  let lastRollup = 0;
  let lastRetention = 0;

  async function cycle(now = Date.now()): Promise<Observation | null> {
    const t0 = performance.now();
    let obs: Observation | null = null;
    try {
      obs = await collectOnce(deps, sampler, host, { intervalMs: deps.config.intervalMs, now });
      await alerts.evaluate(obs);
      for (const s of obs.services) {
        const l = { app: s.app, service: s.service };
        reg?.inc('kyozo_proxy_requests_total', 'Requests through the app proxy', l, s.requests);
        reg?.inc('kyozo_proxy_responses_5xx_total', '5xx responses through the app proxy', l, s.s5xx);
        for (const [q, v] of [
          ['0.5', s.p50Ms],
          ['0.95', s.p95Ms],
          ['0.99', s.p99Ms],
        ] as const) {
          if (v !== null)
            reg?.set(
              'kyozo_proxy_latency_ms',
              'Proxy latency percentiles of the last collection window',
              { ...l, quantile: q },
              v,
            );
        }
      }
      reg?.set('kyozo_metrics_replicas_sampled', 'Replicas sampled in the last cycle', {}, obs.replicas.length);
    } catch (e) {
      reg?.inc('kyozo_metrics_cycle_errors_total', 'Failed collection cycles');
      log(`collection failed: ${(e as Error).message}`);
    }
    try {
      if (now - lastRollup >= 60_000) {
        lastRollup = now;
        await rollup(deps.db, new Date(now), Math.min(15_000, deps.config.intervalMs * 1.5));
      }
      if (now - lastRetention >= 3_600_000) {
        lastRetention = now;
        const n = await enforceRetention(deps.db, deps.config, new Date(now));
        if (n > 0) log(`retention: deleted ${n} rows`);
      }
    } catch (e) {
      log(`rollup/retention failed: ${(e as Error).message}`);
    }
    reg?.observe(
      'kyozo_metrics_cycle_seconds',
      'Duration of one metrics collection cycle',
      {},
      (performance.now() - t0) / 1000,
    );
    return obs;
  }
  return { runOnce: cycle, sampler, alerts, webhooks, stop: async () => webhooks.stop() };
}

/** Starts the loop; returns stop(). The lead wires this into server/main.ts. */
export function startMonitor(deps: MonitorDeps): Monitor {
  const m = createMonitor(deps);
  if (!deps.config.enabled) return m;
  let busy: Promise<unknown> | null = null;
  const tick = () => {
    if (busy) return; // previous cycle still running: skip instead of piling up
    busy = m.runOnce().finally(() => {
      busy = null;
    });
  };
  const first = setTimeout(tick, 1000);
  const timer = setInterval(tick, deps.config.intervalMs);
  timer.unref();
  first.unref();
  return {
    ...m,
    runOnce: m.runOnce,
    sampler: m.sampler,
    alerts: m.alerts,
    webhooks: m.webhooks,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await busy;
      await m.stop();
    },
  };
}
