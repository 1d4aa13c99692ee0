// Service discovery (pure): <NAME>_URL for every other web service, conventional URLs for backing
// services a service depends on (DATABASE_URL, REDIS_URL, …) unless the user set them.
import { serviceUrlKey } from '../names.ts';

export interface Addressable {
  name: string;
  type: string;
  runtime: string;
  env: Record<string, string>;
}

export type AddressOf = (service: string) => { host: string; port: number };

/** Conventional connection URL env for a backing service, or null when there is no convention. */
export function backingUrl(b: Addressable, addr: { host: string; port: number }): [string, string] | null {
  const e = b.env;
  const hp = `${addr.host}:${addr.port}`;
  switch (b.runtime) {
    case 'postgres': {
      const user = e.POSTGRES_USER ?? 'postgres';
      const pw = e.POSTGRES_PASSWORD ?? '';
      const db = e.POSTGRES_DB ?? user;
      return [
        'DATABASE_URL',
        `postgres://${encodeURIComponent(user)}${pw ? `:${encodeURIComponent(pw)}` : ''}@${hp}/${encodeURIComponent(db)}`,
      ];
    }
    case 'mysql':
    case 'mariadb': {
      const user = e.MYSQL_USER ?? e.MARIADB_USER ?? 'root';
      const pw =
        (user === 'root'
          ? (e.MYSQL_ROOT_PASSWORD ?? e.MARIADB_ROOT_PASSWORD)
          : (e.MYSQL_PASSWORD ?? e.MARIADB_PASSWORD)) ?? '';
      const db = e.MYSQL_DATABASE ?? e.MARIADB_DATABASE ?? '';
      return [
        'DATABASE_URL',
        `mysql://${encodeURIComponent(user)}${pw ? `:${encodeURIComponent(pw)}` : ''}@${hp}/${encodeURIComponent(db)}`,
      ];
    }
    case 'mongodb':
      return ['MONGODB_URL', `mongodb://${hp}`];
    case 'redis':
    case 'valkey':
      return ['REDIS_URL', `redis://${hp}`];
    case 'rabbitmq':
      return ['AMQP_URL', `amqp://${e.RABBITMQ_DEFAULT_USER ?? 'guest'}:${e.RABBITMQ_DEFAULT_PASS ?? 'guest'}@${hp}`];
    case 'memcached':
      return ['MEMCACHED_URL', `memcached://${hp}`];
    case 'nats':
      return ['NATS_URL', `nats://${hp}`];
    default:
      return null;
  }
}

const isWeb = (s: Addressable) => s.type === 'web' || s.type === 'static';
const isBacking = (s: Addressable) => s.type === 'database' || s.type === 'cache' || s.type === 'queue';

/**
 * Env each service gets beyond config vars: <NAME>_URL of every other web service, the backing URLs
 * of the backing services it depends on (directly or transitively through nothing: direct only), and
 * <NAME>_URL of every backing service too. User config wins over all of these (applied by the caller).
 */
export function discoveryEnv(
  services: Addressable[],
  dependsOn: (s: string) => Set<string>,
  addressOf: AddressOf,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const s of services) {
    const env: Record<string, string> = {};
    for (const t of services) {
      if (t.name === s.name) continue;
      const a = addressOf(t.name);
      if (isWeb(t)) env[serviceUrlKey(t.name)] = `http://${a.host}:${a.port}`;
      else if (isBacking(t)) {
        const conv = backingUrl(t, a);
        env[serviceUrlKey(t.name)] = conv ? conv[1] : `${a.host}:${a.port}`;
      }
    }
    for (const dep of dependsOn(s.name)) {
      const t = services.find((x) => x.name === dep);
      if (!t || !isBacking(t)) continue;
      const conv = backingUrl(t, addressOf(t.name));
      if (conv && !(conv[0] in env)) env[conv[0]] = conv[1];
    }
    out.set(s.name, env);
  }
  return out;
}
