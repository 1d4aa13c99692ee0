// Every fixture under test/fixtures/ is a small repository of one shape; this table says what Kyozo must find in it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeAndPlan } from '../../server/build/topology.ts';
import { snapshotFromDir } from '../../server/snapshot/fs.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

type Exp = {
  name: string;
  path: string | null;
  type: string;
  runtime: string;
  framework: string | null;
  port?: number | null;
  health?: string | null;
  build?: string;
  processes?: string[];
  /** A line the generated (or referenced) build must contain. */
  dockerfileHas?: string;
};
interface Case {
  services: Exp[];
  deps?: string[];
  recs?: string[];
  noRecs?: string[];
  /** Compose options each service deploys without (`ignoredOptions`), as [action, option, value]; services not named have none. */
  ignored?: Record<string, [string, string, string][]>;
}

const S = (
  name: string,
  path: string | null,
  type: string,
  runtime: string,
  framework: string | null,
  port?: number | null,
  health?: string | null,
  extra: Partial<Exp> = {},
): Exp => ({ name, path, type, runtime, framework, port, health, ...extra });

const TABLE: Record<string, Case> = {
  'node-express': {
    services: [S('orders-api', '.', 'web', 'node', 'express', 3000, '/healthz', { processes: ['web'] })],
    recs: ['secret-committed'],
  },
  'node-fastify': { services: [S('inventory-service', '.', 'web', 'node', 'fastify', 8080, '/health')] },
  'node-koa': { services: [S('koa-blog', '.', 'web', 'node', 'koa', 4000, '/ping')] },
  'node-hono': { services: [S('edge-api', '.', 'web', 'node', 'hono', 8787, '/api/health')] },
  'node-nestjs': { services: [S('billing', '.', 'web', 'node', 'nestjs', 3000)] },
  'next-app': { services: [S('storefront', '.', 'web', 'node', 'next', 3000, '/api/health')] },
  'nuxt-app': { services: [S('nuxt-app', '.', 'web', 'node', 'nuxt', 3000)] },
  'remix-app': { services: [S('remix-notes', '.', 'web', 'node', 'remix', 3000)] },
  'sveltekit-app': { services: [S('kit-dashboard', '.', 'web', 'node', 'sveltekit', 3000, '/health')] },
  'astro-site': { services: [S('docs-site', '.', 'static', 'static', 'astro', 8080)] },
  'vite-react': { services: [S('admin-ui', '.', 'static', 'static', 'vite', 8080)] },
  'gatsby-blog': { services: [S('gatsby-starter-blog', '.', 'static', 'static', 'gatsby')] },
  'cra-app': { services: [S('todo-client', '.', 'static', 'static', 'create-react-app')] },
  'angular-app': { services: [S('crm-web', '.', 'static', 'static', 'angular')] },
  'bun-elysia': { services: [S('bun-api', '.', 'web', 'bun', 'elysia', 3000, '/health')] },
  'deno-oak': { services: [S('deno-oak', '.', 'web', 'deno', 'oak', 8000, '/health')] },
  'python-django': {
    services: [
      S('python-django', '.', 'web', 'python', 'django', 8000, '/healthz/', { processes: ['release', 'web'] }),
    ],
  },
  'django-src-layout': {
    services: [
      S('django-src-layout', '.', 'web', 'python', 'django', 8000, '/healthz/', {
        processes: ['release', 'web'],
        dockerfileHas: 'gunicorn mysite.wsgi:application --chdir src',
      }),
    ],
  },
  'python-flask': { services: [S('python-flask', '.', 'web', 'python', 'flask', 5000, '/health')] },
  'python-fastapi': { services: [S('payments-api', '.', 'web', 'python', 'fastapi', 8000, '/healthz')] },
  'python-streamlit': { services: [S('python-streamlit', '.', 'web', 'python', 'streamlit', 8501)] },
  'python-celery': {
    services: [S('python-celery', '.', 'worker', 'python', null, null, null, { processes: ['worker'] })],
  },
  'node-worker': { services: [S('email-worker', '.', 'worker', 'node', null, null, null, { processes: ['worker'] })] },
  'go-gin': { services: [S('catalog', '.', 'web', 'go', 'gin', 8080, '/healthz')] },
  'go-echo': { services: [S('notify', '.', 'web', 'go', 'echo', 1323, '/health', { processes: ['web', 'worker'] })] },
  'go-fiber': { services: [S('fiber-shop', '.', 'web', 'go', 'fiber', 3000)], recs: ['no-health-endpoint'] },
  'ruby-rails': {
    services: [S('ruby-rails', '.', 'web', 'ruby', 'rails', 3000, '/up', { processes: ['release', 'web', 'worker'] })],
  },
  'ruby-sinatra': { services: [S('ruby-sinatra', '.', 'web', 'ruby', 'sinatra', 4567, '/health')] },
  'php-laravel': { services: [S('laravel', '.', 'web', 'php', 'laravel', 80, '/up')] },
  'java-spring-boot': {
    services: [S('java-spring-boot', '.', 'web', 'java', 'spring-boot', 8081, '/actuator/health')],
  },
  'rust-axum': { services: [S('todo-api', '.', 'web', 'rust', 'axum', 3000, '/health')] },
  'rust-actix': { services: [S('actix-gateway', '.', 'web', 'rust', 'actix', 8080, '/healthz')] },
  'elixir-phoenix': { services: [S('chat', '.', 'web', 'elixir', 'phoenix', 4000, '/health')] },
  'dotnet-aspnet': { services: [S('todoapi', 'src/TodoApi', 'web', 'dotnet', 'aspnet', 8080, '/healthz')] },
  'hugo-site': { services: [S('hugo-site', '.', 'static', 'static', 'hugo', 8080)] },
  'jekyll-blog': { services: [S('jekyll-blog', '.', 'static', 'static', 'jekyll', 8080)] },
  'static-html': { services: [S('static-html', '.', 'static', 'static', null, 8080)] },
  'dockerfile-app': {
    services: [S('status-page', '.', 'web', 'docker', 'express', 8080, '/status', { build: 'dockerfile' })],
    noRecs: ['runs-as-root', 'missing-dockerignore', 'unpinned-base-image'],
  },
  'compose-stack': {
    services: [
      S('web', 'frontend', 'static', 'docker', 'vite', 80, null, { build: 'dockerfile' }),
      S('api', 'backend', 'web', 'docker', 'express', 4000, '/api/health', { build: 'dockerfile' }),
      S('worker', 'backend', 'worker', 'docker', 'express', null, null, { processes: ['worker'] }),
      S('db', null, 'database', 'postgres', null, 5432, null, { build: 'image' }),
      S('cache', null, 'cache', 'redis', null, 6379, null, { build: 'image' }),
      S('mailhog', null, 'web', 'docker', null, 8025, null, { build: 'image' }),
    ],
    deps: ['web->api', 'api->db', 'api->cache', 'worker->cache'],
    recs: ['unpinned-base-image', 'missing-dockerignore'],
  },
  'compose-anchors': {
    // one image for an api and its worker through an `x-app` anchor and `<<` merge keys; folded and multi-line flow commands
    services: [
      S('api', 'app', 'web', 'docker', 'flask', 8000, '/healthz', { build: 'dockerfile', processes: ['web'] }),
      S('worker', 'app', 'worker', 'docker', 'flask', null, null, { build: 'dockerfile', processes: ['worker'] }),
      S('db', null, 'database', 'postgres', null, 5432, null, { build: 'image' }),
      S('cache', null, 'cache', 'redis', null, 6379, null, { build: 'image' }),
    ],
    deps: ['api->db', 'api->cache', 'worker->db', 'worker->cache'],
    noRecs: ['unparsable-manifest'],
  },
  'compose-dev-db': {
    services: [
      S('postgres', null, 'database', 'postgres', null, 5432),
      S('redis', null, 'cache', 'redis', null, 6379),
      S('saas-starter', '.', 'web', 'node', 'fastify', 3000, '/health'),
    ],
    deps: ['saas-starter->postgres', 'saas-starter->redis'],
  },
  'compose-host-options': {
    // privileged, the Docker socket, host namespaces, capabilities, devices, host paths and host ports next to
    // what Kyozo honours (named volumes of backing services, no-new-privileges): every service still deploys.
    services: [
      S('web', '.', 'web', 'docker', 'express', 3000, '/healthz', { build: 'dockerfile' }),
      S('db', null, 'database', 'postgres', null, 5432, null, { build: 'image' }),
      S('cache', null, 'cache', 'redis', null, 6379, null, { build: 'image' }),
      S('monitor', null, 'worker', 'docker', null, null, null, { build: 'image' }),
    ],
    deps: ['web->db', 'web->cache'],
    recs: ['compose-option-ignored'],
    ignored: {
      web: [
        ['dropped', 'volumes', './src:/app/src'],
        ['ignored', 'ports', '3000:3000'],
        ['ignored', 'extra_hosts', 'host.docker.internal:host-gateway'],
        ['ignored', 'volumes', 'uploads:/app/uploads'],
      ],
      db: [
        ['dropped', 'privileged', 'true'],
        ['dropped', 'volumes', './db/init.sql:/docker-entrypoint-initdb.d/init.sql:ro'],
        ['ignored', 'ports', '127.0.0.1:5432:5432'],
        ['ignored', 'shm_size', '256mb'],
      ],
      monitor: [
        ['dropped', 'network_mode', 'host'],
        ['dropped', 'pid', 'host'],
        ['dropped', 'cap_add', 'SYS_ADMIN, NET_ADMIN'],
        ['dropped', 'devices', '/dev/kmsg:/dev/kmsg'],
        ['dropped', 'security_opt', 'apparmor:unconfined'],
        ['dropped', 'cgroup_parent', 'monitoring.slice'],
        ['dropped', 'volumes', '/var/run/docker.sock:/var/run/docker.sock:ro'],
        ['dropped', 'volumes', '/sys:/sys'],
      ],
    },
  },
  'monorepo-npm': {
    services: [
      S('api', 'apps/api', 'web', 'node', 'express', 4000, '/healthz'),
      S('docs', 'apps/docs', 'static', 'static', 'vitepress'),
      S('web', 'apps/web', 'web', 'node', 'next', 3000),
    ],
    deps: ['web->api'],
  },
  'monorepo-pnpm': {
    services: [
      S('ml', 'ml', 'web', 'python', 'fastapi', 8000),
      S('gateway', 'services/gateway', 'web', 'node', 'fastify', 8080, '/health'),
      S('jobs', 'services/jobs', 'worker', 'node', null, null),
    ],
  },
  'frontend-backend': {
    services: [
      S('backend', 'backend', 'web', 'python', 'flask', 5000, '/api/health'),
      S('frontend', 'frontend', 'static', 'static', 'vite'),
    ],
    deps: ['frontend->backend'],
  },
  'polyglot-services': {
    services: [
      S('mailer', 'services/mailer', 'worker', 'ruby', null, null),
      S('recommender', 'services/recommender', 'web', 'python', 'fastapi', 8000, '/health'),
      S('search', 'services/search', 'web', 'go', null, 7000, '/healthz'),
      S('web', 'services/web', 'web', 'php', 'slim', 80, '/health'),
    ],
  },
  'procfile-app': {
    services: [
      S('procfile-app', '.', 'web', 'python', 'django', 8000, null, { processes: ['release', 'web', 'worker'] }),
    ],
  },
  'cargo-workspace': { services: [S('api', 'crates/api', 'web', 'rust', 'axum', 8080)] },
  // Shapes of real public repositories (trimmed to their deciding files).
  'real-voting-app': {
    // dockersamples/example-voting-app: a profile-gated seed job, a .NET worker without a port
    services: [
      S('vote', 'vote', 'web', 'docker', 'flask', 80),
      S('result', 'result', 'web', 'docker', 'express', 80),
      S('worker', 'worker', 'worker', 'docker', null, null),
      S('redis', null, 'cache', 'redis', null, 6379),
      S('db', null, 'database', 'postgres', null, 5432),
    ],
    deps: ['vote->redis', 'result->db', 'worker->redis', 'worker->db'],
    recs: ['compose-profile-skipped'],
  },
  'real-fastapi-template': {
    // fastapi/full-stack-fastapi-template: prestart job, Traefik label ports, nginx frontend, public VITE_ env
    services: [
      S('db', null, 'database', 'postgres', null, 5432),
      S('adminer', null, 'web', 'docker', null, 8080),
      S('backend', 'backend', 'web', 'docker', 'fastapi', 8000, '/api/v1/utils/health-check/', {
        processes: ['release', 'web'],
      }),
      S('frontend', 'frontend', 'static', 'docker', 'vite', 80),
    ],
    deps: ['backend->db'],
    noRecs: ['secret-committed'],
  },
  'real-go-clean-template': {
    // evrone/go-clean-template: RabbitMQ management port listed first, nginx proxy, routes in internal/
    services: [
      S('db', null, 'database', 'postgres', null, 5432),
      S('rabbitmq', null, 'queue', 'rabbitmq', null, 5672),
      S('app', '.', 'web', 'docker', 'fiber', 8080, '/healthz'),
    ],
    deps: ['app->db', 'app->rabbitmq'],
    recs: ['compose-proxy-skipped'],
  },
  'real-t3-turbo': {
    // t3-oss/create-t3-turbo: Expo app and packages are not services; TanStack Start is a server; turbo builds dependencies
    services: [
      S('nextjs', 'apps/nextjs', 'web', 'node', 'next', 3000, null, {
        dockerfileHas: 'RUN ../../node_modules/.bin/turbo run build --filter=@acme/nextjs...',
      }),
      S('tanstack-start', 'apps/tanstack-start', 'web', 'node', 'tanstack-start', 3000),
    ],
    recs: ['env-vars-expected'],
  },
  'real-maybe-rails': {
    // maybe-finance/maybe: Rails Dockerfile + Sidekiq; compose.example.yml and the devcontainer are not the app
    services: [
      S('real-maybe-rails', '.', 'web', 'docker', 'rails', 3000, '/up', {
        build: 'dockerfile',
        processes: ['web', 'worker'],
      }),
    ],
    recs: ['backing-service-missing'],
  },
  'real-koel-laravel': {
    // koel/koel: Laravel + Vite (assets built into public/), composer requires ext-gd and ext-exif
    services: [
      S('koel', '.', 'web', 'php', 'laravel', 80, '/up', {
        processes: ['release', 'web', 'worker'],
        dockerfileHas: 'RUN docker-php-ext-install pdo_mysql pdo_pgsql zip opcache exif gd',
      }),
    ],
  },
  'real-hugo-docs': {
    // gohugoio/hugoDocs: Hugo pinned in netlify.toml (newer than the default), Tailwind via npm, a go.mod without modules
    services: [
      S('real-hugo-docs', '.', 'static', 'static', 'hugo', 8080, null, { dockerfileHas: 'ARG HUGO_VERSION=0.153.2' }),
    ],
  },
  'real-next-commerce': {
    // vercel/commerce: Next.js (next.config.ts, pnpm) that needs Shopify variables from .env.example at build time
    services: [
      S('real-next-commerce', '.', 'web', 'node', 'next', 3000, null, {
        processes: ['web'],
        dockerfileHas: 'RUN pnpm run build',
      }),
    ],
    recs: ['env-vars-expected'],
  },
  'library-only': { services: [], recs: ['nothing-deployable'] },
  'docs-only': { services: [], recs: ['nothing-deployable'] },
  'broken-manifests': {
    services: [S('broken-manifests', '.', 'web', 'node', null, 3000)],
    recs: ['unparsable-manifest', 'secret-committed', 'low-confidence'],
  },
};

describe('fixtures', () => {
  it('every fixture folder has an entry in the table and vice versa', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(TABLE).sort());
  });

  for (const [fx, exp] of Object.entries(TABLE)) {
    it(fx, () => {
      const { topology: t } = analyzeAndPlan(snapshotFromDir(join(FIXTURES, fx)), { name: fx });
      const got = t.services.map((s) => {
        const e = exp.services.find((x) => x.name === s.name);
        return {
          name: s.name,
          path: s.path,
          type: s.type,
          runtime: s.runtime,
          framework: s.framework,
          ...(e?.port !== undefined ? { port: s.port } : {}),
          ...(e?.health !== undefined ? { health: s.healthPath } : {}),
          ...(e?.build ? { build: s.build.strategy } : {}),
          ...(e?.processes ? { processes: Object.keys(s.processes).sort() } : {}),
          ...(e?.dockerfileHas
            ? { dockerfileHas: s.build.dockerfile?.includes(e.dockerfileHas) ? e.dockerfileHas : s.build.dockerfile }
            : {}),
        };
      });
      const want = exp.services.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
      expect(got).toEqual(want.map((w) => expect.objectContaining(w)));
      expect(got).toHaveLength(exp.services.length);
      for (const s of t.services) {
        expect(s.name).toMatch(/^[a-z][a-z0-9-]{0,62}$/);
        expect(s.confidence).toBeGreaterThan(0);
        expect(s.confidence).toBeLessThanOrEqual(1);
        expect(s.evidence.length).toBeGreaterThan(0);
        if (s.build.strategy === 'generated') expect(s.build.dockerfile).toMatch(/^# Generated by Kyozo/);
      }
      const deps = t.dependencies.map((d) => `${d.from}->${d.to}`);
      for (const d of exp.deps ?? []) expect(deps).toContain(d);
      if (exp.ignored) {
        for (const s of t.services) {
          const got = (s.ignoredOptions ?? []).map((o) => [o.action, o.option, o.value]);
          expect(got, s.name).toEqual(exp.ignored[s.name] ?? []);
          for (const o of s.ignoredOptions ?? []) expect(o.reason).toMatch(/^\S.{20,}/);
        }
        // One recommendation per service that deploys without something; high when an option was dropped.
        const recs = t.recommendations.filter((r) => r.code === 'compose-option-ignored');
        expect(recs.map((r) => r.message.match(/^Service "([^"]+)"/)?.[1]).sort()).toEqual(
          Object.keys(exp.ignored).sort(),
        );
        for (const r of recs) {
          const service = t.services.find((s) => r.message.startsWith(`Service "${s.name}"`))!;
          expect(r.severity).toBe(service.ignoredOptions!.some((o) => o.action === 'dropped') ? 'high' : 'low');
          for (const o of service.ignoredOptions!) expect(r.message).toContain(o.value);
        }
      }
      const codes = t.recommendations.map((r) => r.code);
      for (const c of exp.recs ?? []) expect(codes).toContain(c);
      for (const c of exp.noRecs ?? []) expect(codes).not.toContain(c);
      // Nothing inside dependency, output, test or example folders is ever a service.
      for (const s of t.services)
        expect(s.path ?? '').not.toMatch(
          /(^|\/)(node_modules|vendor|dist|build|target|examples?|tests?|fixtures|\.venv|venv)(\/|$)/,
        );
    });
  }
});
