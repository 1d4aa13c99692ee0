// POST /internal/git/post-receive: the bare repo's hook hands a push over; the answer streams the
// release log back to `git push` until the release ends (contract: server/git/hook.mjs).
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { getAppByName } from '../db/apps.ts';
import { takePusher } from '../git/front.ts';
import { HOOK_SECRET_HEADER } from '../git/hookEnv.ts';
import { planPostReceive } from '../git/hookRoute.ts';
import { followReleaseLog } from '../logs/releaseLog.ts';
import type { OpsDeps } from '../ops/deps.ts';
import { releasePush } from '../ops/releases.ts';
import { appGone, pushQueued } from '../release/messages.ts';
import { recordEvent } from '../db/events.ts';
import { principalById } from '../db/users.ts';

export function hookRouter(deps: OpsDeps, secret: string) {
  const r = new Hono();
  r.post('/post-receive', async (c) => {
    let body: unknown = null;
    try {
      body = await c.req.json();
    } catch {
      /* planPostReceive rejects non-objects */
    }
    const plan = planPostReceive(c.req.header(HOOK_SECRET_HEADER), secret, body);
    if (plan.kind === 'reject') return c.text(plan.message, plan.status);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    if (plan.kind === 'reply') return c.text(plan.line + '\n');
    const app = await getAppByName(deps.database.db, plan.push.app);
    if (!app) return c.text(appGone(plan.push.app) + '\n');
    // hook.mjs sends no pusher (git inherits the server's env): the git front's push ticket names
    // the authenticated user. Unknown (null) still deploys.
    const pusher = plan.push.pusher ?? takePusher(plan.push.app, plan.push.newSha);
    const userId = pusher === null ? NaN : Number(pusher);
    const pusherId = Number.isInteger(userId) ? userId : null;
    const who = pusherId === null ? null : await principalById(deps.database.db, pusherId);
    const audit = { actor: who ? { userId: who.userId, email: who.email } : null, ip: null }; // the pusher's address stays in the git front
    await recordEvent(deps.database.db, {
      type: 'git.push',
      app: app.name,
      message: `${who?.email ?? 'unknown pusher'} pushed ${plan.push.newSha.slice(0, 12)}`,
      ...audit,
      data: { commit: plan.push.newSha },
    });
    const release = await releasePush(deps, app, plan.push.newSha, pusherId, audit);
    return stream(c, async (s) => {
      await s.write(pushQueued(app.name, release.version, plan.push.newSha) + '\n');
      const ac = new AbortController();
      s.onAbort(() => ac.abort());
      await followReleaseLog(deps.database.db, deps.bus, release.id, (line) => void s.write(line + '\n'), ac.signal);
    });
  });
  return r;
}
