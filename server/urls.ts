// User-facing URLs (pure).
import type { Config } from './config.ts';

export function appUrl(config: Config, app: string, service?: string): string {
  const host = service ? `${service}.${app}.${config.domain}` : `${app}.${config.domain}`;
  return `http://${host}${config.publicProxyPort === 80 ? '' : `:${config.publicProxyPort}`}`;
}

export function gitUrl(config: Config, app: string, requestHost?: string): string {
  const host = requestHost ?? `${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  return `http://${host}/git/${app}.git`;
}
