// Environment variables of the metrics collector and alerting, parsed in one pure function with the
// shared env helpers of server/config.ts (this module owns its defaults).
import { envBool, envNumber } from '../config.ts';

export interface MetricsConfig {
  /** Collection period (container stats, proxy drain, system sample, alert evaluation). */
  intervalMs: number;
  /** Retention of the 1m and 1h tiers (and the cap of every tier). */
  retentionDays: number;
  /** Retention of the raw (10 s) tier; never longer than retentionDays. */
  rawRetentionDays: number;
  /** At most this many containers sampled at once. */
  statsConcurrency: number;
  /** Root of the cgroup filesystem; '' disables the cgroup fast path (Docker one-shot stats only). */
  cgroupRoot: string;
  /** GET /metrics without a token (otherwise an admin bearer token is required). */
  prometheusPublic: boolean;
  /** Collection is disabled entirely when false (KYOZO_METRICS=off). */
  enabled: boolean;
}

export function parseMetricsConfig(env: Record<string, string | undefined> = process.env): MetricsConfig {
  const retentionDays = envNumber(env, 'KYOZO_METRICS_RETENTION_DAYS', 30, 1, 3650);
  const rawRetentionDays = Math.min(
    retentionDays,
    envNumber(env, 'KYOZO_METRICS_RAW_RETENTION_DAYS', 7, 0.01, 3650, false),
  );
  return {
    intervalMs: envNumber(env, 'KYOZO_METRICS_INTERVAL_MS', 10_000, 1000, 3_600_000),
    retentionDays,
    rawRetentionDays,
    statsConcurrency: envNumber(env, 'KYOZO_METRICS_CONCURRENCY', 8, 1, 64),
    cgroupRoot: env.KYOZO_CGROUP_ROOT ?? '/sys/fs/cgroup',
    prometheusPublic: envBool(env, 'KYOZO_METRICS_PUBLIC', false),
    enabled: envBool(env, 'KYOZO_METRICS', true),
  };
}
