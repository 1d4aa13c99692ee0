// Well-known images → backing services (type, runtime, port, data volume), and default resources per runtime.
import type { ServiceType } from './types.ts';

interface Backing {
  runtime: string;
  type: ServiceType;
  port: number;
  volume?: string;
  memoryMb: number;
}

const CATALOG: [RegExp, Backing][] = [
  [
    /^(postgres|postgis\/postgis|bitnami\/postgresql|timescale\/timescaledb[\w-]*|supabase\/postgres|pgvector\/pgvector|ankane\/pgvector)$/,
    { runtime: 'postgres', type: 'database', port: 5432, volume: '/var/lib/postgresql/data', memoryMb: 512 },
  ],
  [
    /^(mysql|mysql\/mysql-server|bitnami\/mysql|percona(\/percona-server)?)$/,
    { runtime: 'mysql', type: 'database', port: 3306, volume: '/var/lib/mysql', memoryMb: 1024 },
  ],
  [
    /^(mariadb|bitnami\/mariadb)$/,
    { runtime: 'mariadb', type: 'database', port: 3306, volume: '/var/lib/mysql', memoryMb: 1024 },
  ],
  [
    /^(mongo|mongodb\/mongodb-community-server|bitnami\/mongodb)$/,
    { runtime: 'mongodb', type: 'database', port: 27017, volume: '/data/db', memoryMb: 1024 },
  ],
  [
    /^(redis|redis\/redis-stack(-server)?|bitnami\/redis|redislabs\/\w+)$/,
    { runtime: 'redis', type: 'cache', port: 6379, volume: '/data', memoryMb: 128 },
  ],
  [
    /^(valkey\/valkey|bitnami\/valkey)$/,
    { runtime: 'valkey', type: 'cache', port: 6379, volume: '/data', memoryMb: 128 },
  ],
  [
    /^(eqalpha\/keydb|docker\.dragonflydb\.io\/dragonflydb\/dragonfly|dragonflydb\/dragonfly)$/,
    { runtime: 'redis', type: 'cache', port: 6379, volume: '/data', memoryMb: 256 },
  ],
  [/^(memcached|bitnami\/memcached)$/, { runtime: 'memcached', type: 'cache', port: 11211, memoryMb: 128 }],
  [
    /^(rabbitmq|bitnami\/rabbitmq)$/,
    { runtime: 'rabbitmq', type: 'queue', port: 5672, volume: '/var/lib/rabbitmq', memoryMb: 512 },
  ],
  [/^(nats)$/, { runtime: 'nats', type: 'queue', port: 4222, memoryMb: 128 }],
  [
    /^(bitnami\/kafka|confluentinc\/cp-kafka|apache\/kafka|redpandadata\/redpanda|vectorized\/redpanda)$/,
    { runtime: 'kafka', type: 'queue', port: 9092, volume: '/var/lib/kafka/data', memoryMb: 1024 },
  ],
  [
    /^(elasticsearch|docker\.elastic\.co\/elasticsearch\/elasticsearch|opensearchproject\/opensearch)$/,
    { runtime: 'elasticsearch', type: 'database', port: 9200, volume: '/usr/share/elasticsearch/data', memoryMb: 1024 },
  ],
  [
    /^(clickhouse\/clickhouse-server|yandex\/clickhouse-server)$/,
    { runtime: 'clickhouse', type: 'database', port: 8123, volume: '/var/lib/clickhouse', memoryMb: 1024 },
  ],
  [
    /^(minio\/minio|bitnami\/minio)$/,
    { runtime: 'minio', type: 'database', port: 9000, volume: '/data', memoryMb: 256 },
  ],
  [
    /^(cassandra|scylladb\/scylla)$/,
    { runtime: 'cassandra', type: 'database', port: 9042, volume: '/var/lib/cassandra', memoryMb: 2048 },
  ],
  [/^(neo4j)$/, { runtime: 'neo4j', type: 'database', port: 7474, volume: '/data', memoryMb: 1024 }],
  [/^(couchdb)$/, { runtime: 'couchdb', type: 'database', port: 5984, volume: '/opt/couchdb/data', memoryMb: 512 }],
  [/^(influxdb)$/, { runtime: 'influxdb', type: 'database', port: 8086, volume: '/var/lib/influxdb2', memoryMb: 512 }],
  [/^(qdrant\/qdrant)$/, { runtime: 'qdrant', type: 'database', port: 6333, volume: '/qdrant/storage', memoryMb: 512 }],
];

/** Well-known web UIs without a catalog entry: their listening port when compose publishes none. */
const WEB_IMAGES: Record<string, number> = {
  adminer: 8080,
  'dpage/pgadmin4': 80,
  phpmyadmin: 80,
  'phpmyadmin/phpmyadmin': 80,
  'mailhog/mailhog': 8025,
  'axllent/mailpit': 8025,
  'redis/redisinsight': 5540,
};
export const webImagePort = (image: string): number | null => WEB_IMAGES[imageRepo(image)] ?? null;

const PROXIES =
  /^(nginx|nginxinc\/nginx-unprivileged|traefik|caddy|haproxy|envoyproxy\/envoy|nginxproxy\/nginx-proxy|jwilder\/nginx-proxy|bitnami\/nginx)$/;
export const isReverseProxy = (image: string): boolean => PROXIES.test(imageRepo(image));

/** The repository part of an image reference: "docker.io/library/postgres:16-alpine" → "postgres". */
export function imageRepo(image: string): string {
  let r = image.replace(/@sha256:.*$/, '');
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > slash) r = r.slice(0, colon);
  return r.replace(/^(docker\.io\/)?(library\/)?/, '').replace(/^index\.docker\.io\//, '');
}

export function backingService(image: string): Backing | null {
  const repo = imageRepo(image);
  for (const [re, b] of CATALOG) if (re.test(repo)) return b;
  return null;
}

export function defaultResources(
  runtime: string,
  type: ServiceType,
  hintMb?: number,
): { memoryMb: number; cpus: number } {
  if (hintMb) return { memoryMb: hintMb, cpus: hintMb >= 1024 ? 1 : 0.5 };
  if (type === 'static') return { memoryMb: 64, cpus: 0.25 };
  const mem: Record<string, number> = {
    go: 256,
    rust: 256,
    php: 256,
    deno: 256,
    bun: 256,
    node: 512,
    python: 512,
    ruby: 512,
    elixir: 512,
    dotnet: 512,
    java: 1024,
    docker: 512,
  };
  const m = mem[runtime] ?? 512;
  return { memoryMb: m, cpus: m >= 1024 ? 1 : 0.5 };
}
