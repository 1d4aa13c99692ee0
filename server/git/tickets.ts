// Push tickets: who pushed which commit. node-git-server gives git no per-request environment,
// so the front records `<app>:<newSha>` → user id for every ref update it accepts; the hook route
// redeems it (one-shot) because hook.mjs sends an empty pusher. A request's unredeemed tickets are
// dropped when its receive-pack exits (the post-receive hook has finished by then); the TTL is a
// backstop for anything that slips through.

export const PUSH_TICKET_TTL_MS = 10 * 60_000;

export interface Ticket {
  key: string;
  userId: string;
  expires: number;
}

const tickets = new Map<string, Ticket[]>();
let nextSweep = 0;

function sweepTickets(now: number): void {
  if (now < nextSweep) return;
  nextSweep = now + 60_000;
  for (const [key, list] of tickets) {
    const live = list.filter((t) => t.expires > now);
    if (live.length) tickets.set(key, live);
    else tickets.delete(key);
  }
}

export function addTicket(app: string, sha: string, userId: string): Ticket {
  const now = Date.now();
  sweepTickets(now);
  const t: Ticket = { key: `${app}:${sha}`, userId, expires: now + PUSH_TICKET_TTL_MS };
  const list = tickets.get(t.key);
  if (list) list.push(t);
  else tickets.set(t.key, [t]);
  return t;
}

export function dropTicket(t: Ticket): void {
  const list = tickets.get(t.key);
  if (!list) return;
  const i = list.indexOf(t);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) tickets.delete(t.key);
}

/**
 * User id of whoever pushed `newSha` to `app` through the git front in the last
 * PUSH_TICKET_TTL_MS, or null (unknown). One-shot: each accepted ref update yields one ticket
 * (oldest first when the same commit is pushed several times).
 */
export function takePusher(app: string, newSha: string): string | null {
  const key = `${app}:${newSha.toLowerCase()}`;
  const list = tickets.get(key);
  const now = Date.now();
  while (list?.length) {
    const t = list.shift()!;
    if (!list.length) tickets.delete(key);
    if (t.expires > now) return t.userId;
  }
  return null;
}
