// What a `git receive-pack` child needs in its environment so the post-receive hook can call back.
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

/**
 * Environment for one receive-pack run. Passed per spawn (never written to disk), so the pusher
 * identity cannot be confused between concurrent pushes and a restart rotates the secret freely.
 */
export function hookEnv(cfg: HookConfig, app: string, pusher: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    KYOZO_HOOK_URL: cfg.url,
    KYOZO_HOOK_SECRET: cfg.secret,
    KYOZO_HOOK_SCRIPT: HOOK_SCRIPT_PATH,
    KYOZO_NODE: process.execPath,
    KYOZO_APP: app,
    KYOZO_PUSHER: pusher,
  };
}
