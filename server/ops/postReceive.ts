// A push handed over by the bare repo's post-receive hook: check the secret and the ref (pure, in
// git/hookRoute.ts), find the app and who pushed, record the push and queue its release. The HTTP router
// (http/hook.ts) only parses the request and streams the release log back (contract: server/git/hook.mjs).
import { getAppByName } from '../db/apps.ts';
import { recordEvent } from '../db/events.ts';
import { principalById } from '../db/users.ts';
import { planPostReceive } from '../git/hookRoute.ts';
import { takePusher } from '../git/tickets.ts';
import { appGone, pushQueued } from '../release/messages.ts';
import type { OpsDeps } from './deps.ts';
import { releasePush } from './releases.ts';

export interface PostReceiveRequest {
  /** The hook secret the server gave the hook (KYOZO_HOOK_SECRET), and the one the request carries. */
  secret: string;
  secretHeader: string | undefined | null;
  /** The parsed JSON body, or null when it was not JSON. */
  body: unknown;
}

export type PostReceiveAnswer =
  | { kind: 'reject'; status: 400 | 401; message: string }
  /** One line and done (a deleted or non-deploy ref, an app deleted since the push). */
  | { kind: 'reply'; line: string }
  /** A release was queued: the first line, then the release's log until it ends. */
  | { kind: 'follow'; line: string; releaseId: number };

export async function postReceive(deps: OpsDeps, req: PostReceiveRequest): Promise<PostReceiveAnswer> {
  const plan = planPostReceive(req.secretHeader, req.secret, req.body);
  if (plan.kind !== 'deploy') return plan;
  const { db } = deps.database;
  const { push } = plan;
  const app = await getAppByName(db, push.app);
  if (!app) return { kind: 'reply', line: appGone(push.app) };
  // hook.mjs sends no pusher (git inherits the server's env): the git front's push ticket names
  // the authenticated user. Unknown (null) still deploys.
  const pusher = push.pusher ?? takePusher(push.app, push.newSha);
  const userId = pusher === null ? NaN : Number(pusher);
  const pusherId = Number.isInteger(userId) ? userId : null;
  const who = pusherId === null ? null : await principalById(db, pusherId);
  const audit = { actor: who ? { userId: who.userId, email: who.email } : null, ip: null }; // the pusher's address stays in the git front
  await recordEvent(db, {
    type: 'git.push',
    app: app.name,
    appId: app.id,
    message: `${who?.email ?? 'unknown pusher'} pushed ${push.newSha.slice(0, 12)}`,
    ...audit,
    data: { commit: push.newSha },
  });
  const release = await releasePush(deps, app, push.newSha, pusherId, audit);
  return { kind: 'follow', line: pushQueued(app.name, release.version, push.newSha), releaseId: release.id };
}
