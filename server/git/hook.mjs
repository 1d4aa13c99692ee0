// Kyozo post-receive hook client (plain JS, run by `node`; no tsx, no dependencies).
//
// Started by the /bin/sh post-receive hook that createRepo() installs in every bare repo. git
// (spawned by node-git-server) inherits the Kyozo server's process.env, set once at startup by
// installHookEnv() (server/git/hookEnv.ts):
//   KYOZO_HOOK_URL     loopback URL of the route, e.g. http://127.0.0.1:3000/internal/git/post-receive
//   KYOZO_HOOK_SECRET  shared secret
//   KYOZO_APP          optional; default: the bare repo's directory name minus ".git" (the hook runs
//                      with cwd = the bare repo; GIT_DIR, if set, may be "." or a path)
//   KYOZO_PUSHER       optional; default "" = the route asks the git front (push tickets, takePusher)
//
// CONTRACT, once per line `<old-sha> <new-sha> <refname>` on stdin, in order:
//   POST $KYOZO_HOOK_URL
//     x-kyozo-hook-secret: $KYOZO_HOOK_SECRET
//     content-type: application/json
//     {"app": "...", "ref": "refs/heads/main", "oldSha": "<40 hex>", "newSha": "<40 hex>", "pusher": "<user id or empty>"}
//   Response 200 text/plain, streamed line by line (it is copied live to stdout, which git shows
//   as `remote: ...` lines). The final line is one of
//     Release vN is live at http://...
//     ! Release vN failed: <reason>
//     Branch feature-x stored; only main/master deploy.      (non-deploy refs: the only line)
//   Any non-200 status (401 bad secret, 400 bad body, 5xx) is reported as a failure.
// Exit status: 1 if any call failed or its final line starts with "!", else 0. (git ignores a
// post-receive exit status for the push result: the refs are already updated.)

import { basename, resolve } from 'node:path';

const env = process.env;

/** `<reposDir>/<app>.git` → `<app>`. */
function appFromRepoDir() {
  return basename(resolve(process.cwd(), env.GIT_DIR || '.')).replace(/\.git$/, '');
}

function fail(msg) {
  process.stdout.write(`! ${msg}\n`);
  process.exitCode = 1;
}

async function readStdin() {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

function loopbackUrl(raw) {
  try {
    const u = new URL(raw);
    const hosts = ['127.0.0.1', 'localhost', '[::1]'];
    return u.protocol === 'http:' && hosts.includes(u.hostname) ? u : null;
  } catch {
    return null;
  }
}

async function post(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kyozo-hook-secret': env.KYOZO_HOOK_SECRET ?? '' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) {
    const text = (await res.text().catch(() => '')).trim().split('\n')[0];
    return fail(`Kyozo refused the push notification (HTTP ${res.status}${text ? `: ${text}` : ''}); not deployed.`);
  }
  const decoder = new TextDecoder();
  let lastLine = '';
  let pending = '';
  for await (const chunk of res.body ?? []) {
    const text = decoder.decode(chunk, { stream: true });
    process.stdout.write(text);
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) lastLine = l.trim();
  }
  const rest = decoder.decode();
  if (rest) process.stdout.write(rest);
  const tail = pending + rest; // already written; only terminate it and use it for the verdict
  if (tail) process.stdout.write('\n');
  if (tail.trim()) lastLine = tail.trim();
  if (!lastLine) return fail('Kyozo sent an empty response; the release outcome is unknown.');
  if (lastLine.startsWith('!')) process.exitCode = 1;
}

async function main() {
  const input = await readStdin(); // always drain stdin so git never sees EPIPE
  const url = loopbackUrl(env.KYOZO_HOOK_URL ?? '');
  if (!url) return fail('KYOZO_HOOK_URL is missing or not a loopback http URL; the push was stored but not deployed.');
  const app = env.KYOZO_APP || appFromRepoDir();
  const pusher = env.KYOZO_PUSHER ?? '';
  for (const line of input.split('\n')) {
    const m = /^([0-9a-f]{40}) ([0-9a-f]{40}) (refs\/\S+)$/.exec(line.trim());
    if (!m) continue;
    try {
      await post(url, { app, ref: m[3], oldSha: m[1], newSha: m[2], pusher });
    } catch (err) {
      fail(
        `Could not reach Kyozo at ${url.origin} (${err?.cause?.code ?? err?.message ?? err}); ${m[3]} stored but not deployed.`,
      );
    }
  }
}

main().catch((err) => fail(`Kyozo hook crashed: ${err?.stack ?? err}`));
