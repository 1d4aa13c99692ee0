// Per app/service request metrics recorded by the proxy (pure; randomness injected for tests).
// Latency is kept in a bounded reservoir (Algorithm R) so memory stays flat under load.

export type RequestSample = {
  app: string;
  service: string;
  status: number;
  bytesIn: number;
  bytesOut: number;
  latencyMs: number;
};

export type StatusClasses = { '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number };

export type ServiceMetrics = {
  app: string;
  service: string;
  /** Start of the window (ms since epoch): creation or last drain(). */
  since: number;
  requests: number;
  status: StatusClasses;
  bytesIn: number;
  bytesOut: number;
  /** Up to `reservoirSize` latency samples (ms), uniformly sampled from the window. */
  latencySamples: number[];
  latencyMaxMs: number;
};

export type MetricsOptions = { reservoirSize?: number; random?: () => number; now?: () => number };

const emptyStatus = (): StatusClasses => ({ '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 });

export class ProxyMetrics {
  readonly reservoirSize: number;
  #random: () => number;
  #now: () => number;
  #byKey = new Map<string, ServiceMetrics>();

  constructor(opts: MetricsOptions = {}) {
    this.reservoirSize = opts.reservoirSize ?? 1024;
    this.#random = opts.random ?? Math.random;
    this.#now = opts.now ?? Date.now;
  }

  record(s: RequestSample): void {
    const key = `${s.app}\0${s.service}`;
    let m = this.#byKey.get(key);
    if (!m) {
      m = {
        app: s.app,
        service: s.service,
        since: this.#now(),
        requests: 0,
        status: emptyStatus(),
        bytesIn: 0,
        bytesOut: 0,
        latencySamples: [],
        latencyMaxMs: 0,
      };
      this.#byKey.set(key, m);
    }
    m.requests++;
    const cls = `${Math.min(5, Math.max(1, Math.floor(s.status / 100)))}xx` as keyof StatusClasses;
    m.status[cls]++;
    m.bytesIn += s.bytesIn;
    m.bytesOut += s.bytesOut;
    m.latencyMaxMs = Math.max(m.latencyMaxMs, s.latencyMs);
    if (m.latencySamples.length < this.reservoirSize) m.latencySamples.push(s.latencyMs);
    else {
      const j = Math.floor(this.#random() * m.requests);
      if (j < this.reservoirSize) m.latencySamples[j] = s.latencyMs;
    }
  }

  /** Deep copy of the current window. */
  snapshot(): ServiceMetrics[] {
    return [...this.#byKey.values()].map((m) => ({
      ...m,
      status: { ...m.status },
      latencySamples: [...m.latencySamples],
    }));
  }

  /** Returns the current window and starts a new one (for periodic persistence). */
  drain(): ServiceMetrics[] {
    const out = [...this.#byKey.values()];
    this.#byKey.clear();
    return out;
  }
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; null when empty. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
