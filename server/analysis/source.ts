// Reading source files for the facts manifests don't hold: the port a server listens on, its health route.
import type { Ctx } from './context.ts';
import { join } from './tree.ts';

const PORT_PATTERNS: RegExp[] = [
  /["'`]PORT["'`]\)?[^;}]{0,80}?["'`](\d{2,5})["'`]/, // env::var("PORT").unwrap_or("8080"), os.Getenv("PORT") ... "8080"
  /\bPORT["'`\]]?\)?\s*(?:\|\||\?\?|,|\bor\b)\s*["'`]?(\d{2,5})\b/, // process.env.PORT || 3000, getenv("PORT", 5000), ENV['PORT'] or 4567
  /\.listen\(\s*["'`]?(\d{2,5})\b/, // app.listen(3000)
  /(?:ListenAndServe|\.Run|\.Start|\.Listen|\.bind|\.serve)\(\s*["'`](?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:(\d{2,5})["'`]/, // Go/Rust ":8080"
  /(?:Addr|addr)\s*[:=]+\s*["'`](?:0\.0\.0\.0)?:(\d{2,5})["'`]/,
  /["'`](?:0\.0\.0\.0|127\.0\.0\.1|\[::\]):(\d{2,5})["'`]/,
  /\bset\s+:port,\s*(\d{2,5})/, // sinatra
  /\bport\s*[:=]\s*(?:int\()?["'`]?(\d{2,5})\b/i, // port: 3000, port=5000
];

/** The first plausible port literal in a source text, or null. */
export function portInSource(src: string): number | null {
  for (const re of PORT_PATTERNS) {
    for (const m of src.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
      // "127" in listen(PORT, '127.0.0.1') is the start of an address, not a port.
      const end = (m.index ?? 0) + m[0].lastIndexOf(m[1]) + m[1].length;
      if (/^\.\d/.test(src.slice(end, end + 2))) continue;
      const n = Number(m[1]);
      if (n >= 80 && n <= 65535) return n;
    }
  }
  return null;
}

const HEALTH =
  /["'`](\/(?:api\/|_)?(?:healthz|health|health-check|healthcheck|livez|readyz|ready|ping|status|up|_ah\/health))\/?["'`]/;

// Route declarations without a leading slash: Django path('healthz/'), Phoenix-style scopes.
const HEALTH_ROUTE =
  /(?:path|re_path|url)\(\s*r?["'`]\^?((?:api\/)?(?:healthz|health|health-check|healthcheck|livez|readyz|ready|ping|status))\/?\$?["'`]/;

export function healthInSource(src: string): string | null {
  const m = HEALTH.exec(src);
  if (m) return m[1];
  const r = HEALTH_ROUTE.exec(src);
  return r ? `/${r[1]}/` : null;
}

/** Port and health route from the first existing candidate entry files (read capped). */
export function scanSources(
  ctx: Ctx,
  dir: string,
  candidates: readonly string[],
  limit = 6,
): { port: number | null; healthPath: string | null; file: string | null; text: string } {
  let port: number | null = null;
  let healthPath: string | null = null;
  let file: string | null = null;
  let all = '';
  let n = 0;
  for (const c of candidates) {
    if (n >= limit) break;
    const p = join(dir, c);
    const t = ctx.text(p, 64 * 1024);
    if (t === null) continue;
    n++;
    all += t + '\n';
    if (port === null) {
      port = portInSource(t);
      if (port !== null) file ??= c;
    }
    if (healthPath === null) healthPath = healthInSource(t);
    file ??= c;
  }
  return { port, healthPath, file, text: all };
}

/** Number after --port/-p/PORT= in a command line. */
export function portInCommand(cmd: string | undefined | null): number | null {
  if (!cmd) return null;
  const m = /(?:--port[= ]|-p[= ]?|\bPORT=|--listen[= ](?:\S*:)?|--bind[= ]\S*:|-b\s+\S*:)(\d{2,5})\b/.exec(cmd);
  return m ? Number(m[1]) : null;
}

/** Client libraries that imply a backing service. */
export const BACKING_CLIENTS: Record<string, string> = {
  pg: 'postgres',
  postgres: 'postgres',
  'pg-promise': 'postgres',
  psycopg2: 'postgres',
  'psycopg2-binary': 'postgres',
  psycopg: 'postgres',
  asyncpg: 'postgres',
  'github.com/lib/pq': 'postgres',
  'github.com/jackc/pgx/v5': 'postgres',
  'github.com/jackc/pgx/v4': 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  pymysql: 'mysql',
  mysqlclient: 'mysql',
  'github.com/go-sql-driver/mysql': 'mysql',
  mongodb: 'mongodb',
  mongoose: 'mongodb',
  pymongo: 'mongodb',
  motor: 'mongodb',
  mongoid: 'mongodb',
  'go.mongodb.org/mongo-driver': 'mongodb',
  redis: 'redis',
  ioredis: 'redis',
  bullmq: 'redis',
  bull: 'redis',
  'bee-queue': 'redis',
  rq: 'redis',
  sidekiq: 'redis',
  'github.com/redis/go-redis/v9': 'redis',
  'github.com/go-redis/redis/v8': 'redis',
  amqplib: 'rabbitmq',
  pika: 'rabbitmq',
  bunny: 'rabbitmq',
  'github.com/rabbitmq/amqp091-go': 'rabbitmq',
};

export function backingUses(deps: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const d of deps) {
    const b = BACKING_CLIENTS[d];
    if (b) out.add(b);
  }
  return [...out].sort();
}
