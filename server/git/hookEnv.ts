// What a `git receive-pack` child needs in its environment so the post-receive hook can call back.
// node-git-server spawns git with the server's own process.env, so installHookEnv() sets it once.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** Absolute path of the plain-JS hook script (run by `node`, no tsx). */
export const HOOK_SCRIPT_PATH = fileURLToPath(new URL('./hook.mjs', import.meta.url));

/** Route the lead mounts in hono; the hook POSTs here. */
export const HOOK_ROUTE = '/internal/git/post-receive';
export const HOOK_SECRET_HEADER = 'x-kyozo-hook-secret';

export interface HookConfig {
  /** Full loopback URL of the hook route, e.g. hookUrl(config.port). */
  url: string;
  /** Shared secret checked by the route; a fresh random one per server process is fine. */
  secret: string;
}

/**
 * Loopback URL of the hook route for a server listening on `listenHost` (default: all interfaces).
 * hook.mjs only calls loopback hosts, so a server bound to one specific non-loopback IP must
 * also listen on 127.0.0.1 for pushes to deploy.
 */
export function hookUrl(port: number, listenHost = '0.0.0.0'): string {
  const host = listenHost === '::1' ? '[::1]' : listenHost === 'localhost' ? 'localhost' : '127.0.0.1';
  return `http://${host}:${port}${HOOK_ROUTE}`;
}

export function generateHookSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The hook's configuration variables (no app, no pusher: those are per push, see hook.mjs). */
export function hookEnvVars(cfg: HookConfig): Record<string, string> {
  return {
    KYOZO_HOOK_URL: cfg.url,
    KYOZO_HOOK_SECRET: cfg.secret,
    KYOZO_HOOK_SCRIPT: HOOK_SCRIPT_PATH,
    KYOZO_NODE: process.execPath,
  };
}

/**
 * Writes the hook configuration into the server process's environment, once at startup.
 * node-git-server spawns `git-receive-pack` with the inherited process.env (no per-request env),
 * so this is how the post-receive hook learns where to call back. The app comes from the repo
 * directory the hook runs in, the pusher from the front's push tickets (takePusher in front.ts).
 * Stray KYOZO_APP / KYOZO_PUSHER values are removed so every hook run derives them itself.
 * Calling it again (e.g. another front in tests) overwrites the previous configuration.
 */
export function installHookEnv(cfg: HookConfig, env: NodeJS.ProcessEnv = process.env): void {
  Object.assign(env, hookEnvVars(cfg));
  delete env.KYOZO_APP;
  delete env.KYOZO_PUSHER;
}
