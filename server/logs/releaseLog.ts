// Release logs: written to Postgres in small batches, announced on an in-process bus so readers
// (the git hook stream, the API, the console) tail them live. Config values are masked on the way in.
import { EventEmitter } from 'node:events';
import type { Db } from '../db/client.ts';
import { appendLogLines, readLogLines } from '../db/logs.ts';
import { getRelease } from '../db/releases.ts';
import { maskSecrets } from './mask.ts';

export class LogBus extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
  notify(releaseId: number) {
    this.emit(`release:${releaseId}`);
  }
}

export interface ReleaseLogger {
  (line: string): void;
  flush(): Promise<void>;
}

/** A logger for one release. Lines are masked, timestamped by the db, flushed every 100 ms. */
export function releaseLogger(db: Db, bus: LogBus, releaseId: number, secrets: string[] = []): ReleaseLogger {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    chain = chain.then(async () => {
      if (batch.length === 0) return;
      await appendLogLines(db, releaseId, batch).catch(() => {});
      bus.notify(releaseId);
    });
    return chain;
  };
  const log = ((line: string) => {
    for (const l of line.replace(/\r/g, '').split('\n')) pending.push(maskSecrets(l, secrets).slice(0, 8192));
    if (pending.length >= 200) void flush();
    else if (!timer) timer = setTimeout(flush, 100);
  }) as ReleaseLogger;
  log.flush = flush;
  return log;
}

const TERMINAL = new Set(['live', 'failed', 'superseded']);

/** Streams a release's log lines (from the start) until the release ends or the signal aborts. */
export async function followReleaseLog(
  db: Db,
  bus: LogBus,
  releaseId: number,
  onLine: (line: string) => void,
  signal?: AbortSignal,
) {
  let after = 0;
  for (;;) {
    const release = await getRelease(db, releaseId);
    const rows = await readLogLines(db, releaseId, after);
    for (const r of rows) {
      onLine(r.line);
      after = r.id;
    }
    if (rows.length > 0) continue;
    if (!release || TERMINAL.has(release.status) || signal?.aborted) return release;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        bus.off(`release:${releaseId}`, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, 500);
      bus.on(`release:${releaseId}`, done);
      signal?.addEventListener('abort', done);
    });
  }
}
