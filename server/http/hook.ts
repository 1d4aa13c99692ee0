// POST /internal/git/post-receive: the bare repo's hook hands a push over (ops/postReceive.ts decides);
// the answer streams the release log back to `git push` until the release ends (contract: server/git/hook.mjs).
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { HOOK_SECRET_HEADER } from '../git/hookEnv.ts';
import { followReleaseLog } from '../logs/releaseLog.ts';
import type { OpsDeps } from '../ops/deps.ts';
import { postReceive } from '../ops/postReceive.ts';

export function hookRouter(deps: OpsDeps, secret: string) {
  const r = new Hono();
  r.post('/post-receive', async (c) => {
    let body: unknown = null;
    try {
      body = await c.req.json();
    } catch {
      /* postReceive rejects non-objects */
    }
    const answer = await postReceive(deps, { secret, secretHeader: c.req.header(HOOK_SECRET_HEADER), body });
    if (answer.kind === 'reject') return c.text(answer.message, answer.status);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    if (answer.kind === 'reply') return c.text(answer.line + '\n');
    return stream(c, async (s) => {
      await s.write(answer.line + '\n');
      const ac = new AbortController();
      s.onAbort(() => ac.abort());
      await followReleaseLog(
        deps.database.db,
        deps.bus,
        answer.releaseId,
        (line) => void s.write(line + '\n'),
        ac.signal,
      );
    });
  });
  return r;
}
