// Circuit breaker around the Docker port. Infrastructure failures (socket refused/missing, resets,
// timeouts) are counted; answers from the engine (404, 409, failing Dockerfiles) are not. After
// `failureThreshold` consecutive failures every call fails fast with DockerUnavailableError (ping says
// false) until `openMs` has passed; then one probe goes through (half-open): success closes, failure
// re-opens. A timer probes with ping() on its own, so the breaker closes without traffic.
import type { DockerPort } from './port.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export class DockerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DockerUnavailableError';
  }
}

export interface BreakerOptions {
  failureThreshold?: number;
  openMs?: number;
  now?: () => number;
  onStateChange?(s: BreakerState): void;
  /** Per-call deadline for every method except build/stop/stopAndRemove; 0 = off (the port has its own). */
  timeoutMs?: number;
  /** Probe with ping() once openMs has passed even without traffic. Default true. */
  autoProbe?: boolean;
}

const INFRA_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EACCES',
  'ECONNABORTED',
]);
const INFRA_TEXT =
  /no answer from the Docker engine|connect (ECONNREFUSED|ENOENT|EACCES)|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|circuit (is )?open/i;

/** True for "the engine did not answer"; false for answers (HTTP status, build errors). Walks `cause`. */
export function isInfrastructureFailure(e: unknown): boolean {
  for (
    let err = e as (Error & { code?: string; statusCode?: number; cause?: unknown }) | undefined, d = 0;
    err && d < 5;
    err = err.cause as typeof err, d++
  ) {
    if (err instanceof DockerUnavailableError) return true;
    if (typeof err.statusCode === 'number') return false;
    if (err.code && INFRA_CODES.has(err.code)) return true;
    if (typeof err.message === 'string' && INFRA_TEXT.test(err.message)) return true;
  }
  return false;
}

/** True when the error (or one of its causes) says Docker is unreachable. */
export const isDockerUnavailable = (e: unknown) => isInfrastructureFailure(e);

const UNTIMED = new Set<keyof DockerPort>(['build', 'pull', 'stop', 'stopAndRemove']);

export function withCircuitBreaker(
  port: DockerPort,
  opts: BreakerOptions = {},
): DockerPort & { state(): BreakerState } {
  const threshold = opts.failureThreshold ?? 3;
  const openMs = opts.openMs ?? 5_000;
  const now = opts.now ?? Date.now;
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  let lastError = '';
  let timer: NodeJS.Timeout | null = null;

  const set = (s: BreakerState) => {
    if (s === state) return;
    state = s;
    opts.onStateChange?.(s);
  };
  const open = () => {
    openedAt = now();
    set('open');
    if (opts.autoProbe !== false) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void breaker.ping();
      }, openMs + 10);
      timer.unref?.();
    }
  };
  const current = (): BreakerState => (state === 'open' && now() - openedAt >= openMs ? 'half-open' : state);
  const unavailable = () =>
    new DockerUnavailableError(
      `Docker engine unavailable (circuit open after ${threshold} failures: ${lastError}); retrying in ${Math.max(0, Math.ceil((openedAt + openMs - now()) / 1000))}s`,
    );

  /** Admission: throws when the call must fail fast; returns whether this call is the half-open probe. */
  function admit(): boolean {
    const s = current();
    if (s === 'closed') return false;
    if (s === 'open' || probing) throw unavailable();
    probing = true;
    set('half-open');
    return true;
  }
  function succeeded(probe: boolean) {
    if (probe) probing = false;
    failures = 0;
    set('closed');
  }
  function failed(probe: boolean, e: unknown) {
    if (probe) probing = false;
    lastError = (e as Error)?.message ?? String(e);
    failures++;
    if (probe || failures >= threshold) open();
  }

  async function call<T>(method: keyof DockerPort, fn: () => Promise<T>): Promise<T> {
    const probe = admit();
    try {
      const out = await (opts.timeoutMs && !UNTIMED.has(method) ? deadline(fn(), method, opts.timeoutMs) : fn());
      succeeded(probe);
      return out;
    } catch (e) {
      if (!isInfrastructureFailure(e)) {
        succeeded(probe); // an answer: the engine is there
        throw e;
      }
      failed(probe, e);
      throw e instanceof DockerUnavailableError
        ? e
        : new DockerUnavailableError((e as Error)?.message ?? String(e), { cause: e });
    }
  }

  const breaker = { state: current } as DockerPort & { state(): BreakerState };
  for (const m of Object.keys(port) as (keyof DockerPort)[]) {
    if (typeof port[m] !== 'function') continue;
    (breaker as unknown as Record<string, unknown>)[m] = (...args: unknown[]) =>
      call(m, () => (port[m] as (...a: unknown[]) => Promise<unknown>).apply(port, args));
  }
  breaker.ping = async () => {
    try {
      const ok = await call('ping', async () => {
        if (!(await port.ping())) throw new DockerUnavailableError('docker ping: no answer from the Docker engine');
        return true;
      });
      return ok;
    } catch {
      return false;
    }
  };
  return breaker;
}

function deadline<T>(p: Promise<T>, op: string, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error(`docker ${op}: no answer from the Docker engine within ${ms}ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}
