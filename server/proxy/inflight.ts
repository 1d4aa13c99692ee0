// In-flight HTTP request counts per upstream, so the deploy pipeline can wait for old replicas to
// drain after a route switch. WebSockets are counted separately: they are long-lived, so waiting
// for them would always hit the timeout.
import { upstreamKey, type Upstream } from './routeTable.ts';

type Waiter = { keys: string[]; done: (idle: boolean) => void };

export class InflightTracker {
  #requests = new Map<string, number>();
  #sockets = new Map<string, number>();
  #waiters = new Set<Waiter>();

  begin(u: Upstream, kind: 'request' | 'socket' = 'request'): () => void {
    const key = upstreamKey(u);
    const map = kind === 'request' ? this.#requests : this.#sockets;
    map.set(key, (map.get(key) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (map.get(key) ?? 1) - 1;
      if (n > 0) map.set(key, n);
      else map.delete(key);
      if (n <= 0 && kind === 'request') this.#wake();
    };
  }

  requests(u: Upstream | string): number {
    return this.#requests.get(typeof u === 'string' ? u : upstreamKey(u)) ?? 0;
  }

  sockets(u: Upstream | string): number {
    return this.#sockets.get(typeof u === 'string' ? u : upstreamKey(u)) ?? 0;
  }

  #idle(keys: string[]): boolean {
    return keys.every((k) => !this.#requests.has(k));
  }

  #wake(): void {
    for (const w of this.#waiters) if (this.#idle(w.keys)) w.done(true);
  }

  /** Resolves true once none of `upstreams` has an HTTP request in flight, false after `timeoutMs`. */
  waitIdle(upstreams: readonly (Upstream | string)[], timeoutMs: number): Promise<boolean> {
    const keys = upstreams.map((u) => (typeof u === 'string' ? u : upstreamKey(u)));
    if (this.#idle(keys)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w: Waiter = {
        keys,
        done: (idle) => {
          clearTimeout(timer);
          this.#waiters.delete(w);
          resolve(idle);
        },
      };
      const timer = setTimeout(() => w.done(false), timeoutMs);
      timer.unref?.();
      this.#waiters.add(w);
    });
  }
}
