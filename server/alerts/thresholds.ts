// Alert kinds, their default thresholds, and per-app overrides (app_settings.settings.alerts).
import type { AppSettings } from '../db/schema.ts';

export type AlertKind = 'cpu' | 'memory' | 'error-rate' | 'p95-latency' | 'crash-loop' | 'disk' | 'deploy-failed';
export type ThresholdName = keyof NonNullable<AppSettings['alerts']>;
export type Thresholds = Record<ThresholdName, number>;

export const THRESHOLD_NAMES: readonly ThresholdName[] = ['cpuPct', 'memoryPct', 'errorRatePct', 'p95Ms', 'diskPct'];

/** Defaults: a value strictly above the threshold fires. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  /** Percent of the service's CPU limit (of one core when the limit is unknown), max over replicas. */
  cpuPct: 90,
  /** Percent of the memory limit, max over replicas. */
  memoryPct: 90,
  /** 5xx responses / requests in one collection window, in percent. */
  errorRatePct: 5,
  /** p95 latency at the proxy in one collection window. */
  p95Ms: 2000,
  /** Host disk usage of the data dir's filesystem (system-wide; not per app). */
  diskPct: 90,
};

/** Fixed rules (not per-app thresholds). */
export const RULES = {
  /** Windows with fewer requests do not open error-rate / latency alerts (noise), but can resolve them. */
  minRequests: 20,
  /** Crash loop: more than this many restarts of one replica within crashWindowMs. */
  crashRestarts: 2,
  crashWindowMs: 10 * 60_000,
};

export const SEVERITY: Record<AlertKind, 'warning' | 'critical'> = {
  cpu: 'warning',
  memory: 'warning',
  'error-rate': 'critical',
  'p95-latency': 'warning',
  'crash-loop': 'critical',
  disk: 'critical',
  'deploy-failed': 'critical',
};

export function effectiveThresholds(
  overrides: AppSettings['alerts'] | undefined | null,
  defaults: Thresholds = DEFAULT_THRESHOLDS,
): Thresholds {
  const out = { ...defaults };
  for (const k of THRESHOLD_NAMES) {
    const v = overrides?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

export class SettingsError extends Error {}

/**
 * Validates a PATCH body's thresholds: known names only, numbers ≥ 0, null removes the override.
 * Returns the merged overrides to store.
 */
export function mergeOverrides(
  current: AppSettings['alerts'] | undefined | null,
  patch: unknown,
): NonNullable<AppSettings['alerts']> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw new SettingsError('thresholds must be an object');
  const out: NonNullable<AppSettings['alerts']> = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (!(THRESHOLD_NAMES as readonly string[]).includes(k))
      throw new SettingsError(`thresholds.${k} is not a threshold (known: ${THRESHOLD_NAMES.join(', ')})`);
    const name = k as ThresholdName;
    if (v === null) delete out[name];
    else if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[name] = v;
    else throw new SettingsError(`thresholds.${k} must be a number ≥ 0 or null`);
  }
  return out;
}

/** Loopback, private, link-local (cloud metadata) and unique-local addresses, and local names. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h.endsWith('.local') ||
    h.endsWith('.internal') ||
    (!h.includes('.') && !h.includes(':'))
  )
    return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return h === '::1' || h === '::' || /^(fc|fd|fe8|fe9|fea|feb)/.test(h) || h.startsWith('::ffff:');
}

/**
 * http(s) URL or null (removes the webhook). Unless `allowPrivate` (admins), the host may not be a
 * loopback/private/link-local address or a local name: a tenant must not make Kyozo call its internals.
 */
export function validateWebhookUrl(v: unknown, allowPrivate = true): string | null {
  if (v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > 2000) throw new SettingsError('webhookUrl must be an http(s) URL or null');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new SettingsError('webhookUrl must be an http(s) URL or null');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new SettingsError('webhookUrl must be an http(s) URL or null');
  if (!allowPrivate && isPrivateHost(u.hostname))
    throw new SettingsError(
      'webhookUrl must point to a public host (private, loopback and local addresses are for admins only)',
    );
  return u.toString();
}
