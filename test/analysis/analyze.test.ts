// analyze() on in-memory snapshots: the module is pure, so a git commit or an upload works the same as a folder.
import { describe, expect, it } from 'vitest';
import { analyze, toContractJson } from '../../server/analysis/index.ts';
import { analyzeAndPlan } from '../../server/build/topology.ts';
import { envHosts } from '../../server/analysis/compose.ts';
import { dnsLabel, uniqueNames } from '../../server/analysis/names.ts';
import type { Snapshot } from '../../server/analysis/types.ts';

const mem = (files: Record<string, string>): Snapshot => ({
  paths: Object.keys(files),
  read: (p, max = 256 * 1024) => (p in files ? files[p].slice(0, max) : null),
});
const pkg = (o: object) => JSON.stringify(o);

describe('analyze (in-memory snapshots)', () => {
  it('ignores services inside node_modules, vendor and .git even when a snapshot lists them', () => {
    const t = analyze(
      mem({
        'node_modules/express/package.json': pkg({
          name: 'express',
          scripts: { start: 'node index.js' },
          dependencies: { express: '1' },
        }),
        'vendor/app/composer.json': pkg({ require: { 'laravel/framework': '^11' } }),
        '.git/hooks/package.json': pkg({ scripts: { start: 'x' } }),
        'README.md': '# nothing',
      }),
    );
    expect(t.services).toEqual([]);
    expect(t.recommendations[0]).toMatchObject({ severity: 'high', code: 'nothing-deployable' });
    expect(t.recommendations[0].message).toMatch(/Looked for a Dockerfile, docker-compose\.yml/);
    expect(t.stats.files).toBe(1);
  });

  it('never prints secret values, only file and variable names', () => {
    const t = analyze(
      mem({
        '.env': 'DATABASE_URL=postgres://u:SuperSecretPw1@db/app\nAPI_TOKEN="tok_FAKE_123456789"\nDEBUG=true\n',
        '.env.example': 'API_TOKEN=\n',
        'deploy/config.yml': 'aws_access_key_id: AKIAIOSFODNN7EXAMPLE\n',
        'keys/server.key': '-----BEGIN RSA PRIVATE KEY-----\nFAKE\n-----END RSA PRIVATE KEY-----\n',
      }),
    );
    const json = JSON.stringify(t);
    for (const v of ['SuperSecretPw1', 'tok_FAKE_123456789', 'AKIAIOSFODNN7EXAMPLE', 'FAKE\n'])
      expect(json).not.toContain(v);
    const secrets = t.recommendations
      .filter((r) => r.code === 'secret-committed')
      .map((r) => r.path)
      .sort();
    expect(secrets).toEqual(['.env', 'deploy/config.yml', 'keys/server.key']);
    expect(t.recommendations.find((r) => r.path === '.env')!.message).toContain('DATABASE_URL, API_TOKEN');
  });

  it('turns unparsable JSON, TOML and YAML into recommendations', () => {
    const t = analyze(
      mem({
        'package.json': '{ "name": ',
        'pyproject.toml': '[project\n',
        'docker-compose.yml': 'services:\n  a: [1,\n',
      }),
    );
    const bad = t.recommendations
      .filter((r) => r.code === 'unparsable-manifest')
      .map((r) => r.path)
      .sort();
    expect(bad).toEqual(['docker-compose.yml', 'package.json', 'pyproject.toml']);
  });

  it('a Dockerfile wins over inference; its context is the root when it copies monorepo paths', () => {
    const t = analyze(
      mem({
        'package.json': pkg({ private: true, workspaces: ['apps/*'] }),
        'apps/api/package.json': pkg({
          name: 'api',
          scripts: { start: 'node main.js' },
          dependencies: { fastify: '4' },
        }),
        'apps/api/main.js': "require('fastify')().listen({ port: 3000 })",
        'apps/api/Dockerfile':
          'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY apps/api ./apps/api\nRUN npm ci\nEXPOSE 7000\nCMD ["node","apps/api/main.js"]\n',
      }),
    );
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({
      name: 'api',
      runtime: 'docker',
      framework: 'fastify',
      port: 7000,
      build: { strategy: 'dockerfile', dockerfile: 'apps/api/Dockerfile', context: '.' },
    });
  });

  it('compose: URLs in environment and depends_on become dependencies; names stay the compose keys', () => {
    const t = analyze(
      mem({
        'compose.yaml':
          'services:\n  Front_End:\n    image: ghcr.io/acme/front:1.2\n    ports: ["8080:80"]\n    environment:\n      - BACKEND=http://api:9000\n  api:\n    build: ./api\n    environment:\n      MONGO_URL: mongodb://mongo:27017/app\n      CACHE_HOST: valkey\n  mongo:\n    image: mongo:7\n  valkey:\n    image: valkey/valkey:8\n',
        'api/Dockerfile': 'FROM python:3.12-slim\nUSER app\nEXPOSE 9000\n',
        'api/.dockerignore': '',
      }),
    );
    expect(t.services.map((s) => [s.name, s.type, s.runtime, s.port])).toEqual([
      ['front-end', 'web', 'docker', 80],
      ['api', 'web', 'docker', 9000],
      ['mongo', 'database', 'mongodb', 27017],
      ['valkey', 'cache', 'valkey', 6379],
    ]);
    expect(t.dependencies.map((d) => `${d.from}->${d.to}`).sort()).toEqual([
      'api->mongo',
      'api->valkey',
      'front-end->api',
    ]);
    expect(t.services.find((s) => s.name === 'mongo')!.volumes).toEqual(['/data/db']);
  });

  it('compose options Kyozo does not honour are on the service; what it honours or does anyway is not', () => {
    const t = analyze(
      mem({
        'compose.yaml': [
          'services:',
          '  api:',
          '    build: ./api',
          '    privileged: false',
          '    network_mode: bridge',
          '    ipc: shareable',
          '    security_opt: ["no-new-privileges:true", "seccomp:unconfined"]',
          '    ports: ["9000", 9001, {target: 9002}, {target: 9003, published: "19003", host_ip: "0.0.0.0"}, "[::1]:6001:6001"]',
          '    volumes:',
          '      - "${DATA_DIR:-./data}:/data"',
          '      - ~/.ssh:/root/.ssh:ro',
          '      - type: tmpfs',
          '        target: /tmp',
          '    userns_mode: host',
          '    uts: "container:other"',
          '    sysctls: ["net.ipv4.ip_forward=1"]',
          '    extra_hosts: {metadata: 169.254.169.254}',
          '    volumes_from: [db]',
          '  db:',
          '    image: postgres:16',
          '    volumes: ["/var/lib/redis", "pgdata:/var/lib/postgresql/data", "/var/run:/var/run"]',
          '    network_mode: none',
          '    gpus: all',
          '    device_cgroup_rules: ["c 1:3 mr"]',
          '',
        ].join('\n'),
        'api/Dockerfile': 'FROM python:3.12-slim\nUSER app\nEXPOSE 9000\n',
      }),
    );
    const of = (name: string) =>
      t.services.find((s) => s.name === name)!.ignoredOptions!.map((o) => `${o.action} ${o.option} ${o.value}`);
    expect(of('api')).toEqual([
      'dropped uts container:other',
      'dropped userns_mode host',
      'dropped security_opt seccomp:unconfined',
      'dropped volumes ${DATA_DIR:-./data}:/data',
      'dropped volumes ~/.ssh:/root/.ssh:ro',
      'ignored volumes_from db',
      'ignored ports 0.0.0.0:19003:9003',
      'ignored ports [::1]:6001:6001',
      'ignored extra_hosts metadata=169.254.169.254',
      'ignored sysctls net.ipv4.ip_forward=1',
    ]);
    // A database keeps its named volumes (not anonymous ones); the /run folder holds the Docker socket.
    expect(of('db')).toEqual([
      'dropped device_cgroup_rules c 1:3 mr',
      'dropped gpus all',
      'dropped volumes /var/run:/var/run',
      'ignored network_mode none',
      'ignored volumes /var/lib/redis',
    ]);
    const db = t.services.find((s) => s.name === 'db')!;
    expect(db.ignoredOptions!.find((o) => o.option === 'volumes')!.reason).toBe(
      'Kyozo never gives a container the Docker socket, which controls every container on the host; /var/run gets a Kyozo volume instead',
    );
    expect(db.volumes).toEqual(['/var/lib/postgresql/data', '/var/run']);
    expect(db.ignoredOptions!.at(-1)!.reason).toBe('Kyozo keeps named volumes only: write it as NAME:/var/lib/redis');
    // The contract JSON carries them; one recommendation per service names each option.
    expect(toContractJson(t).services[0].ignoredOptions).toEqual(t.services[0].ignoredOptions);
    const recs = t.recommendations.filter((r) => r.code === 'compose-option-ignored');
    expect(recs.map((r) => [r.severity, r.path])).toEqual([
      ['high', 'compose.yaml'],
      ['high', 'compose.yaml'],
    ]);
    expect(recs.find((r) => r.message.includes('"api"'))!.message).toContain(
      'ignored ports: 0.0.0.0:19003:9003, [::1]:6001:6001 (Kyozo publishes no host ports',
    );
  });

  it('a service with only ignored compose options gets a low recommendation; one with none gets nothing', () => {
    const t = analyze(
      mem({
        'compose.yaml':
          'services:\n  api:\n    build: .\n    ports: ["8080:8080"]\n  cache:\n    image: redis:7\n    ports: ["6379"]\n',
        Dockerfile: 'FROM node:20\nUSER node\nEXPOSE 8080\n',
      }),
    );
    expect(t.services.find((s) => s.name === 'cache')!.ignoredOptions).toBeUndefined();
    expect(t.recommendations.filter((r) => r.code === 'compose-option-ignored')).toEqual([
      {
        severity: 'low',
        code: 'compose-option-ignored',
        path: 'compose.yaml',
        message:
          'Service "api" in compose.yaml deploys without these options: ignored ports: 8080:8080 (Kyozo publishes no host ports: web services are reached through its router, the others by name from the app\'s services).',
      },
    ]);
  });

  it('no root manifest: each top-level folder that runs is a service, docs and scripts are not', () => {
    const t = analyze(
      mem({
        'web/index.html': '<h1>x</h1>',
        'web/app.js': '',
        'api/go.mod': 'module api\n',
        'api/main.go': 'package main\nfunc main() { http.ListenAndServe(":9090", nil) }\n',
        'docs/README.md': '#',
        'scripts/deploy.sh': '',
      }),
    );
    expect(t.services.map((s) => `${s.name}:${s.type}:${s.runtime}:${s.port}`)).toEqual([
      'api:web:go:9090',
      'web:static:static:8080',
    ]);
  });

  it('generated services carry the Dockerfile text built from the given images, and the contract JSON drops plan facts', () => {
    const { topology: t } = analyzeAndPlan(
      mem({
        'package.json': pkg({ name: 'x', scripts: { start: 'node s.js' } }),
        's.js': 'require("http").createServer().listen(process.env.PORT || 5000)',
      }),
      {
        images: {
          node: 'my/node:1',
          bun: 'b',
          deno: 'd',
          python: 'p',
          go: 'g',
          ruby: 'r',
          php: 'php',
          static: 's',
          nodeBuild: 'nb',
        },
      },
    );
    expect(t.services[0].build.dockerfile).toMatch(/^FROM my\/node:1$/m);
    expect(t.services[0].port).toBe(5000);
    const json = toContractJson(t);
    expect(Object.keys(json.services[0]).sort()).toEqual([
      'build',
      'confidence',
      'evidence',
      'framework',
      'healthPath',
      'name',
      'path',
      'port',
      'processes',
      'resources',
      'runtime',
      'type',
    ]);
  });

  it('a huge or truncated snapshot gets a recommendation', () => {
    const s = mem({ 'index.html': '' });
    s.truncated = true;
    expect(analyze(s).recommendations.map((r) => r.code)).toContain('huge-repo');
  });
});

describe('helpers', () => {
  it('dnsLabel and uniqueNames', () => {
    expect(dnsLabel('@acme/Web_App')).toBe('web-app');
    expect(dnsLabel('3d-viewer')).toBe('s-3d-viewer');
    expect(dnsLabel('---')).toBe('app');
    expect(dnsLabel('x'.repeat(80))).toHaveLength(63);
    expect(
      uniqueNames([{ hint: 'web', parent: 'apps' }, { hint: 'web', parent: 'services' }, { hint: 'web' }]),
    ).toEqual(['web', 'services-web', 'web-2']);
  });
  it('envHosts finds hosts in URLs and *_HOST variables', () => {
    expect(
      envHosts({ A: 'postgres://u:p@db:5432/x', B: 'redis', B_HOST: 'cache:6379', C: 'amqp://guest:guest@rabbit' }),
    ).toEqual([
      { key: 'A', host: 'db' },
      { key: 'B_HOST', host: 'cache' },
      { key: 'C', host: 'rabbit' },
    ]);
  });
});

describe('real-world shapes', () => {
  it('Laravel Sail: a compose stack that builds from vendor/ is local development; the app is found in the folder', () => {
    const t = analyze(
      mem({
        'docker-compose.yml':
          "services:\n  laravel.test:\n    build:\n      context: ./vendor/laravel/sail/runtimes/8.3\n      dockerfile: Dockerfile\n    ports:\n      - '${APP_PORT:-80}:80'\n    depends_on: [mysql, redis]\n  mysql:\n    image: 'mysql/mysql-server:8.0'\n  redis:\n    image: 'redis:alpine'\n",
        'composer.json': pkg({ require: { php: '^8.2', 'laravel/framework': '^11.0', 'predis/predis': '^2' } }),
        'composer.lock': '{}',
        artisan: '',
        'public/index.php': '<?php',
      }),
    );
    expect(t.services.map((s) => `${s.name}:${s.runtime}:${s.framework}`)).toEqual([
      'mysql:mysql:null',
      'redis:redis:null',
      'web:php:laravel',
    ]);
    expect(t.dependencies.map((d) => `${d.from}->${d.to}`)).toEqual(['web->redis']);
  });

  it('Flask application factory: gunicorn calls create_app()', () => {
    const { topology: t } = analyzeAndPlan(
      mem({
        'requirements.txt': 'flask\ngunicorn\n',
        'app/__init__.py': 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      }),
    );
    expect(t.services[0].processes.web).toBe("gunicorn 'app:create_app()' --bind 0.0.0.0:${PORT:-5000}");
    expect(t.services[0].build.dockerfile).toContain(
      "CMD exec gunicorn 'app:create_app()' --bind 0.0.0.0:${PORT:-5000}",
    );
  });

  it('Rails with its generated Dockerfile: docker runtime, rails framework, port from EXPOSE', () => {
    const t = analyze(
      mem({
        Gemfile: 'gem "rails", "~> 7.1"\ngem "pg"\n',
        'Gemfile.lock': '',
        'config/application.rb': '',
        'config/routes.rb': 'get "up" => "rails/health#show"\n',
        Dockerfile:
          'ARG RUBY_VERSION=3.3.1\nFROM docker.io/library/ruby:$RUBY_VERSION-slim AS base\nFROM base AS build\nRUN bundle install\nFROM base\nUSER 1000:1000\nEXPOSE 3000\nCMD ["./bin/rails", "server"]\n',
        '.dockerignore': '',
      }),
    );
    expect(t.services[0]).toMatchObject({
      runtime: 'docker',
      framework: 'rails',
      port: 3000,
      healthPath: '/up',
      processes: { web: './bin/rails server' },
    });
    expect(t.recommendations.map((r) => r.code)).not.toContain('unpinned-base-image');
  });
});

import { portInSource } from '../../server/analysis/source.ts';

describe('port literals in source', () => {
  it('does not take the start of an address for a port', () => {
    expect(portInSource(`server.listen(Number(process.env.PORT), '127.0.0.1')`)).toBeNull();
    expect(portInSource(`app.listen(process.env.PORT || 3000, '0.0.0.0')`)).toBe(3000);
    expect(portInSource(`const port = process.env.PORT ?? 8080; srv.listen(port, '127.0.0.1')`)).toBe(8080);
  });
});

describe('committed secrets', () => {
  const key = ['-----BEGIN RSA PRIVATE ', 'KEY-----\nMIIFAKE\n-----END RSA PRIVATE KEY-----\n'].join('');
  it('are high severity in the app, low inside test/example folders, and never print the value', () => {
    const t = analyze(
      mem({
        'package.json': pkg({ name: 'x', scripts: { start: 'node i.js' } }),
        'deploy/id_rsa': key,
        'test/fixtures/id_rsa': key,
      }),
    );
    const recs = t.recommendations.filter((r) => r.code === 'secret-committed');
    expect(recs.find((r) => r.path === 'deploy/id_rsa')?.severity).toBe('high');
    expect(recs.find((r) => r.path === 'test/fixtures/id_rsa')?.severity).toBe('low');
    expect(JSON.stringify(recs)).not.toContain('MIIFAKE');
  });
});
