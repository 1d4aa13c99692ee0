// Every environment variable Kyozo reads, parsed in one pure function. README.md lists the same table.
import { resolve } from 'node:path';
import type { BaseImages } from './build/images.ts';
import { parseAllowedImages } from './release/imagePolicy.ts';
import { parseTrustedProxies } from './proxy/trust.ts';

export type NetworkMode = 'bridge' | 'host';

const EXTRA_IMAGE_VARS = {
  rust: 'KYOZO_IMAGE_RUST',
  rustRun: 'KYOZO_IMAGE_RUST_RUN',
  java: 'KYOZO_IMAGE_JAVA',
  javaRun: 'KYOZO_IMAGE_JAVA_RUN',
  elixir: 'KYOZO_IMAGE_ELIXIR',
  elixirRun: 'KYOZO_IMAGE_ELIXIR_RUN',
  dotnetSdk: 'KYOZO_IMAGE_DOTNET_SDK',
  dotnetRun: 'KYOZO_IMAGE_DOTNET_RUN',
} as const;

export interface Config {
  port: number;
  proxyPort: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  domain: string;
  adminToken: string | null;
  network: NetworkMode;
  dockerHost: string | null;
  images: BaseImages;
  /** Deadline for a new replica to answer its health check. */
  healthTimeoutMs: number;
  /** How long old replicas keep serving in-flight requests after the switch. */
  drainMs: number;
  /** Memory limit of one image build, in MB. */
  buildMemoryMb: number;
  /** Public URL of the proxy shown to users (defaults to http://<app>.<domain>:<proxyPort>). */
  publicProxyPort: number;
  /** KYOZO_TRUSTED_PROXIES: front proxies (IPs, CIDRs) whose X-Forwarded-*, X-Real-IP, Forwarded the proxy keeps. */
  trustedProxies: string[];
  /** How often the health monitor probes every replica; 0 disables it. */
  healthIntervalMs: number;
  /** First delay between replacements of a failing replica (doubles each time, up to 5 min). */
  restartBackoffMs: number;
  /** How often app container logs are collected. */
  appLogPollMs: number;
  /** Pull images of backing services that are not on the machine (false on machines without a registry). */
  pullImages: boolean;
  /** KYOZO_ALLOWED_IMAGES: glob patterns of local-only images a compose `image:` may run (release/imagePolicy.ts). */
  allowedImages: string[];
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** A number from the environment within [min, max] (an integer unless `integer` is false), else the fallback. */
export function envNumber(env: Env, key: string, fallback: number, min = 0, max = 65535, integer = true): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
    throw new ConfigError(
      `${key} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${raw}"`,
    );
  return n;
}

const int = (env: Env, key: string, fallback: number, min = 0, max = 65535) => envNumber(env, key, fallback, min, max);

/** true/false (1/0, yes/no, on/off) from the environment, else the fallback. */
export function envBool(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got "${env[key]}"`);
}

function str(env: Record<string, string | undefined>, key: string, fallback: string): string {
  const raw = env[key];
  return raw === undefined || raw === '' ? fallback : raw;
}

function trustedProxies(raw: string | undefined): string[] {
  try {
    return parseTrustedProxies(raw);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

export function parseConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const network = str(env, 'KYOZO_NETWORK', 'bridge');
  if (network !== 'bridge' && network !== 'host')
    throw new ConfigError(`KYOZO_NETWORK must be "bridge" or "host", got "${network}"`);
  const domain = str(env, 'KYOZO_DOMAIN', 'localhost').toLowerCase().replace(/\.$/, '');
  const proxyPort = int(env, 'KYOZO_PROXY_PORT', 8080);
  return {
    port: int(env, 'KYOZO_PORT', 3000),
    proxyPort,
    host: str(env, 'KYOZO_HOST', '0.0.0.0'),
    dataDir: resolve(cwd, str(env, 'KYOZO_DATA_DIR', './.kyozo')),
    databaseUrl: env.DATABASE_URL || null,
    domain,
    adminToken: env.KYOZO_ADMIN_TOKEN || null,
    network,
    dockerHost: env.DOCKER_HOST || null,
    images: {
      node: str(env, 'KYOZO_IMAGE_NODE', 'node:20-slim'),
      bun: str(env, 'KYOZO_IMAGE_BUN', 'oven/bun:1'),
      deno: str(env, 'KYOZO_IMAGE_DENO', 'denoland/deno:2.1.4'),
      python: str(env, 'KYOZO_IMAGE_PYTHON', 'python:3.12-slim'),
      go: str(env, 'KYOZO_IMAGE_GO', 'golang:1.23'),
      ruby: str(env, 'KYOZO_IMAGE_RUBY', 'ruby:3.3-slim'),
      php: str(env, 'KYOZO_IMAGE_PHP', 'php:8.3-apache'),
      static: str(env, 'KYOZO_IMAGE_STATIC', 'busybox:1.36'),
      nodeBuild: str(env, 'KYOZO_IMAGE_NODE_BUILD', str(env, 'KYOZO_IMAGE_NODE', 'node:20')),
      ...Object.fromEntries(
        Object.entries(EXTRA_IMAGE_VARS)
          .filter(([, v]) => env[v])
          .map(([k, v]) => [k, env[v]!]),
      ),
    },
    healthTimeoutMs: int(env, 'KYOZO_HEALTH_TIMEOUT_MS', 60_000, 100, 3_600_000),
    drainMs: int(env, 'KYOZO_DRAIN_MS', 2_000, 0, 600_000),
    buildMemoryMb: int(env, 'KYOZO_BUILD_MEMORY_MB', 2048, 64, 1_048_576),
    publicProxyPort: int(env, 'KYOZO_PUBLIC_PROXY_PORT', proxyPort),
    trustedProxies: trustedProxies(env.KYOZO_TRUSTED_PROXIES),
    healthIntervalMs: int(env, 'KYOZO_HEALTH_INTERVAL_MS', 10_000, 0, 3_600_000),
    restartBackoffMs: int(env, 'KYOZO_RESTART_BACKOFF_MS', 1_000, 10, 600_000),
    appLogPollMs: int(env, 'KYOZO_APP_LOG_POLL_MS', 2_000, 100, 600_000),
    pullImages: envBool(env, 'KYOZO_PULL_IMAGES', true),
    allowedImages: parseAllowedImages(env.KYOZO_ALLOWED_IMAGES),
  };
}
