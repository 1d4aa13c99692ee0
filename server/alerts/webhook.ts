// Webhook delivery in the background: an in-memory queue, a few deliveries at once, exponential backoff
// with jitter on network errors, 5xx, 408 and 429. enqueue() never waits and never throws, so alert
// evaluation and metric collection are never held up by a slow or broken receiver.
// (In memory on purpose: an alert's notified_at stays null when delivery gave up or Kyozo restarted.)

export interface WebhookJob {
  url: string;
  body: unknown;
  /** Called once after a 2xx. */
  onDelivered?: () => Promise<void> | void;
}

export interface WebhookOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  concurrency?: number;
  /** Jobs beyond this are dropped (oldest kept) so a dead receiver cannot grow memory. */
  maxQueued?: number;
  fetch?: typeof fetch;
  random?: () => number;
  log?: (m: string) => void;
}

/** Delay before attempt n+1 (n ≥ 1): base·2^(n-1), capped, with ±20% jitter. */
export function backoffMs(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const d = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(d * (0.8 + 0.4 * random()));
}

const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

export class WebhookQueue {
  #o: Required<WebhookOptions>;
  #queue: { job: WebhookJob; attempt: number }[] = [];
  #active = 0;
  #timers = new Set<NodeJS.Timeout>();
  #stopped = false;
  delivered = 0;
  failed = 0;

  constructor(opts: WebhookOptions = {}) {
    this.#o = {
      maxAttempts: 6,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      timeoutMs: 5000,
      concurrency: 4,
      maxQueued: 1000,
      fetch: globalThis.fetch,
      random: Math.random,
      log: (m) => console.error(`[alerts] ${m}`),
      ...opts,
    };
  }

  get pending(): number {
    return this.#queue.length + this.#active + this.#timers.size;
  }

  enqueue(job: WebhookJob): void {
    if (this.#stopped) return;
    if (this.#queue.length >= this.#o.maxQueued) {
      this.#o.log(`webhook queue full; dropping delivery to ${job.url}`);
      return;
    }
    this.#queue.push({ job, attempt: 1 });
    this.#pump();
  }

  #pump(): void {
    while (!this.#stopped && this.#active < this.#o.concurrency && this.#queue.length > 0) {
      const item = this.#queue.shift()!;
      this.#active++;
      void this.#deliver(item).finally(() => {
        this.#active--;
        this.#pump();
      });
    }
  }

  async #deliver(item: { job: WebhookJob; attempt: number }): Promise<void> {
    const { job, attempt } = item;
    let retry = true;
    let reason: string;
    try {
      const res = await this.#o.fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'kyozo-alerts' },
        body: JSON.stringify(job.body),
        signal: AbortSignal.timeout(this.#o.timeoutMs),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => {});
      if (res.ok) {
        this.delivered++;
        await Promise.resolve(job.onDelivered?.()).catch((e) => this.#o.log(`after delivery: ${(e as Error).message}`));
        return;
      }
      reason = `HTTP ${res.status}`;
      retry = retryable(res.status);
    } catch (e) {
      reason = (e as Error).message;
    }
    if (!retry || attempt >= this.#o.maxAttempts || this.#stopped) {
      this.failed++;
      this.#o.log(`webhook ${job.url} gave up after ${attempt} attempt(s): ${reason}`);
      return;
    }
    const t = setTimeout(
      () => {
        this.#timers.delete(t);
        if (this.#stopped) return;
        this.#queue.unshift({ job, attempt: attempt + 1 });
        this.#pump();
      },
      backoffMs(attempt, this.#o.baseDelayMs, this.#o.maxDelayMs, this.#o.random),
    );
    t.unref();
    this.#timers.add(t);
  }

  /** Drops pending retries; deliveries in flight finish on their own (bounded by timeoutMs). */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#queue = [];
  }
}
