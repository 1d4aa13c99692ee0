// Round robin with down-marking (pure: time is injected). Passive health marks an upstream down
// for `downForMs` after a refused/reset connection; the active monitor may mark down until marked up.
import { upstreamKey, type Upstream } from './routeTable.ts';

export type BalancerOptions = { downForMs?: number; now?: () => number };

export class Balancer {
  readonly downForMs: number;
  #now: () => number;
  #next = new Map<string, number>();
  /** upstream key → down until (ms since epoch, Infinity = until markUp). */
  #downUntil = new Map<string, number>();

  constructor(opts: BalancerOptions = {}) {
    this.downForMs = opts.downForMs ?? 5000;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * Upstreams to try for one request under `poolKey` (e.g. "app/service"), in order: live ones
   * in round robin order, then down ones (so an all-down pool is still tried).
   */
  plan(poolKey: string, upstreams: readonly Upstream[]): Upstream[] {
    const n = upstreams.length;
    if (n === 0) return [];
    const start = (this.#next.get(poolKey) ?? 0) % n;
    this.#next.set(poolKey, (start + 1) % n);
    const up: Upstream[] = [];
    const down: Upstream[] = [];
    for (let i = 0; i < n; i++) {
      const u = upstreams[(start + i) % n];
      (this.isDown(u) ? down : up).push(u);
    }
    return down.length === 0 ? up : up.concat(down);
  }

  /** The first upstream `plan` would try. */
  pick(poolKey: string, upstreams: readonly Upstream[]): Upstream | undefined {
    return this.plan(poolKey, upstreams)[0];
  }

  /** Marks down for `forMs` (default downForMs; Infinity = until markUp). Never shortens an existing mark. */
  markDown(u: Upstream | string, forMs = this.downForMs): void {
    const key = typeof u === 'string' ? u : upstreamKey(u);
    const until = this.#now() + forMs;
    if ((this.#downUntil.get(key) ?? 0) < until) this.#downUntil.set(key, until);
  }

  markUp(u: Upstream | string): void {
    this.#downUntil.delete(typeof u === 'string' ? u : upstreamKey(u));
  }

  isDown(u: Upstream | string): boolean {
    const key = typeof u === 'string' ? u : upstreamKey(u);
    const until = this.#downUntil.get(key);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#downUntil.delete(key);
    return false;
  }

  /** Keys currently marked down. */
  downKeys(): string[] {
    return [...this.#downUntil.keys()].filter((k) => this.isDown(k));
  }
}
