// Pure parsers for the git side: app names, git URLs, Basic auth headers, post-receive stdin.

import { isAppName } from '../names.ts';
/** App names are DNS labels (one rule for the API and git: server/names.ts). */
export function isValidAppName(name: string): boolean {
  return isAppName(name);
}

export const ZERO_SHA = '0'.repeat(40);
const SHA = /^[0-9a-f]{40}$/;
export function isSha(s: string): boolean {
  return SHA.test(s);
}

export type GitRoute =
  { kind: 'not-git' } | { kind: 'bad-name'; raw: string } | { kind: 'git'; app: string; sub: string; query: string };

/**
 * Splits `/git/<app>[.git]/<sub>?<query>`. The raw (undecoded) segment is checked against the
 * DNS-label rule, so `..%2F..`, `%2e%2e`, dots and slashes never reach the filesystem.
 */
export function parseGitUrl(url: string): GitRoute {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (!pathname.startsWith('/git/')) return { kind: 'not-git' };
  const rest = pathname.slice('/git/'.length);
  const slash = rest.indexOf('/');
  const seg = slash < 0 ? rest : rest.slice(0, slash);
  const sub = slash < 0 ? '' : rest.slice(slash);
  const app = seg.endsWith('.git') ? seg.slice(0, -4) : seg;
  if (!isValidAppName(app)) return { kind: 'bad-name', raw: seg };
  return { kind: 'git', app, sub, query };
}

/** Parses `Authorization: Basic base64(user:pass)`. The password may contain ':'. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface RefUpdate {
  oldSha: string;
  newSha: string;
  ref: string;
}

/** Parses post-receive stdin: one `<old-sha> <new-sha> <refname>` per line; malformed lines are skipped. */
export function parsePostReceiveInput(text: string): RefUpdate[] {
  const out: RefUpdate[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40}) ([0-9a-f]{40}) (refs\/\S+)$/.exec(line.trim());
    if (m) out.push({ oldSha: m[1], newSha: m[2], ref: m[3] });
  }
  return out;
}

/** `refs/heads/x` → `x`, otherwise null. */
export function branchOf(ref: string): string | null {
  return ref.startsWith('refs/heads/') && ref.length > 11 ? ref.slice(11) : null;
}

/** Branches whose push deploys the app. */
export function isDeployBranch(branch: string | null): boolean {
  return branch === 'main' || branch === 'master';
}
