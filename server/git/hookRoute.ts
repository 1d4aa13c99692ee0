// Pure logic behind `POST /internal/git/post-receive` (contract: top of server/git/hook.mjs).
// ops/postReceive.ts calls planPostReceive() and queues a release for a 'deploy' plan.
import { timingSafeEqual } from 'node:crypto';
import { refDeleted, refStored } from '../release/messages.ts';
import { branchOf, isDeployBranch, isSha, isValidAppName, ZERO_SHA } from './parse.ts';

export interface HookPush {
  app: string;
  ref: string;
  /** Branch name for refs/heads/*, else null. */
  branch: string | null;
  oldSha: string;
  newSha: string;
  /**
   * User id of the pusher as sent by the hook, or null when the hook sent "" (the normal case:
   * ops/postReceive.ts then asks the git front via takePusher(app, newSha); still null = unknown pusher).
   */
  pusher: string | null;
}

export type HookPlan =
  | { kind: 'reject'; status: 400 | 401; message: string }
  | { kind: 'reply'; line: string }
  | { kind: 'deploy'; push: HookPush };

export function secretMatches(given: string | undefined | null, expected: string): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Validates secret and body; decides whether the ref deploys or gets a one-line answer. */
export function planPostReceive(
  secretHeader: string | undefined | null,
  expectedSecret: string,
  body: unknown,
): HookPlan {
  if (!secretMatches(secretHeader, expectedSecret)) return { kind: 'reject', status: 401, message: 'bad hook secret' };
  if (typeof body !== 'object' || body === null)
    return { kind: 'reject', status: 400, message: 'JSON object body required' };
  const b = body as Record<string, unknown>;
  const { app, ref, oldSha, newSha, pusher } = b;
  if (typeof app !== 'string' || !isValidAppName(app)) return { kind: 'reject', status: 400, message: 'invalid app' };
  if (typeof ref !== 'string' || !/^refs\/[^\s\0]+$/.test(ref))
    return { kind: 'reject', status: 400, message: 'invalid ref' };
  if (typeof oldSha !== 'string' || !isSha(oldSha) || typeof newSha !== 'string' || !isSha(newSha))
    return { kind: 'reject', status: 400, message: 'invalid sha' };
  if (typeof pusher !== 'string' || /[\s\0]/.test(pusher))
    return { kind: 'reject', status: 400, message: 'invalid pusher' };

  const branch = branchOf(ref);
  const name = branch ?? ref.replace(/^refs\/tags\//, '');
  const what = branch ? 'Branch' : ref.startsWith('refs/tags/') ? 'Tag' : 'Ref';
  if (newSha === ZERO_SHA) return { kind: 'reply', line: refDeleted(what, name, isDeployBranch(branch)) };
  if (!isDeployBranch(branch)) return { kind: 'reply', line: refStored(what, name) };
  return { kind: 'deploy', push: { app, ref, branch, oldSha, newSha, pusher: pusher || null } };
}
