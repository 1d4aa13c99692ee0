// Environment variables of the metrics collector and alerting, parsed in one pure function
// (merged into server/config.ts by the lead; kept here so this module owns its defaults).

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

export class MetricsConfigError extends Error {}

function num(env: Record<string, string | undefined>, key: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new MetricsConfigError(`${key} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: Record<string, string | undefined>, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new MetricsConfigError(`${key} must be true or false, got "${env[key]}"`);
}

export function parseMetricsConfig(env: Record<string, string | undefined> = process.env): MetricsConfig {
  const retentionDays = num(env, 'KYOZO_METRICS_RETENTION_DAYS', 30, 1, 3650);
  const rawRetentionDays = Math.min(retentionDays, num(env, 'KYOZO_METRICS_RAW_RETENTION_DAYS', 7, 0.01, 3650, false));
  return {
    intervalMs: num(env, 'KYOZO_METRICS_INTERVAL_MS', 10_000, 1000, 3_600_000),
    retentionDays,
    rawRetentionDays,
    statsConcurrency: num(env, 'KYOZO_METRICS_CONCURRENCY', 8, 1, 64),
    cgroupRoot: env.KYOZO_CGROUP_ROOT ?? '/sys/fs/cgroup',
    prometheusPublic: bool(env, 'KYOZO_METRICS_PUBLIC', false),
    enabled: bool(env, 'KYOZO_METRICS', true),
  };
}
