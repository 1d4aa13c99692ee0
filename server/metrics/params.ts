// Query parameters of the metrics API (pure): since/until as ISO 8601, epoch ms or a duration back
// from now (15m, 6h, 7d); step raw|10s|1m|1h|auto. Errors name the parameter at fault.
export type Step = 'raw' | '1m' | '1h';
export const STEP_MS: Record<Step, number> = { raw: 10_000, '1m': 60_000, '1h': 3_600_000 };
export const MAX_POINTS = 5000;

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseTime(param: string, raw: string | undefined, fallback: Date, now: Date): Date {
  if (raw === undefined || raw === '') return fallback;
  const rel = /^-?(\d+(?:\.\d+)?)([smhdw])$/.exec(raw);
  if (rel) {
    // A duration too long for a Date (99999999999d) is an invalid Date: a 400, not a query that fails.
    const d = new Date(now.getTime() - Number(rel[1]) * UNITS[rel[2]]);
    if (!Number.isNaN(d.getTime())) return d;
  }
  if (/^\d{10,14}$/.test(raw)) return new Date(Number(raw));
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    const d = new Date(raw);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new ParamError(
    param,
    `${param} must be an ISO 8601 time, epoch milliseconds, or a duration back from now like 15m, 6h, 7d (got "${raw.slice(0, 50)}")`,
  );
}

export interface RangeQuery {
  since: Date;
  until: Date;
  step: Step;
  service?: string;
}

/** Chooses the finest tier that keeps the series under MAX_POINTS and within the raw retention. */
export function autoStep(spanMs: number, rawRetentionMs = Infinity, sinceAgoMs = spanMs): Step {
  if (spanMs / STEP_MS.raw <= 1080 && sinceAgoMs <= rawRetentionMs) return 'raw'; // up to 3 h
  if (spanMs / STEP_MS['1m'] <= 4320) return '1m'; // up to 3 days
  return '1h';
}

export function parseRangeQuery(
  q: Record<string, string | undefined>,
  now = new Date(),
  opts: { rawRetentionMs?: number; defaultSpanMs?: number } = {},
): RangeQuery {
  const until = parseTime('until', q.until, now, now);
  const since = parseTime('since', q.since, new Date(until.getTime() - (opts.defaultSpanMs ?? 3_600_000)), now);
  if (since.getTime() >= until.getTime()) throw new ParamError('since', 'since must be before until');
  const span = until.getTime() - since.getTime();
  let step: Step;
  const s = q.step ?? 'auto';
  if (s === 'auto' || s === '') step = autoStep(span, opts.rawRetentionMs, now.getTime() - since.getTime());
  else if (s === 'raw' || s === '10s') step = 'raw';
  else if (s === '1m' || s === '1h') step = s;
  else throw new ParamError('step', `step must be one of auto, raw, 10s, 1m, 1h (got "${s.slice(0, 20)}")`);
  if (span / STEP_MS[step] > MAX_POINTS) {
    throw new ParamError(
      'step',
      `step ${step} over this range gives more than ${MAX_POINTS} points per series; use a coarser step or a shorter range`,
    );
  }
  const service = q.service || undefined;
  if (service !== undefined && !/^[a-z0-9][a-z0-9_.-]{0,62}$/i.test(service))
    throw new ParamError('service', 'service must be a service name');
  return { since, until, step, service };
}
