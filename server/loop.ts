// A background loop: run `fn`, wait `intervalMs`, run again — never two runs at once, errors logged,
// and stop() waits for the run in progress. Used by the health monitor, metrics and log collectors.
import { sanitizedError } from './db/errors.ts';

export interface Loop {
  stop(): Promise<void>;
}

export function every(
  intervalMs: number,
  fn: () => Promise<unknown>,
  opts: { firstDelayMs?: number; onError?: (e: Error) => void } = {},
): Loop {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = fn()
      .catch((e: Error) => opts.onError?.(sanitizedError(e) as Error)) // no query parameters in logs
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  timer = setTimeout(run, opts.firstDelayMs ?? intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
