// Live pages over SSE: re-render named fragments every few seconds and send only the ones whose HTML
// changed. htmx-ext-sse swaps each into the element with the matching `sse-swap` name.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

export type Fragments = () => Promise<Record<string, string>>;

export function liveFragments(c: Context, render: Fragments, opts: { intervalMs?: number; maxMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? 2000;
  const maxMs = opts.maxMs ?? 30 * 60_000; // the browser reconnects after this; bounds a forgotten tab's cost
  return streamSSE(c, async (s) => {
    let open = true;
    let wake: (() => void) | null = null;
    s.onAbort(() => {
      open = false;
      wake?.();
    });
    const last = new Map<string, string>();
    const started = Date.now();
    await s.writeSSE({ event: 'hello', data: 'live', retry: 3000 });
    while (open && Date.now() - started < maxMs) {
      const fragments = await render();
      for (const [name, html] of Object.entries(fragments)) {
        if (!open || last.get(name) === html) continue;
        last.set(name, html);
        await s.writeSSE({ event: name, data: html });
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          wake = null;
          resolve();
        }, intervalMs);
        wake = () => {
          clearTimeout(t);
          wake = null;
          resolve();
        };
      });
    }
  });
}

/** Renders a JSX element to its HTML string. */
export const html = async (el: { toString(): string | Promise<string> }) => String(await el.toString());
