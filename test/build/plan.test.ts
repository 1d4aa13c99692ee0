import { describe, expect, it } from 'vitest';
import type { PlanFacts, Service } from '../../server/analysis/types.ts';
import { cmd } from '../../server/build/dockerfile.ts';
import { DEFAULT_IMAGES } from '../../server/build/images.ts';
import { generateDockerfile, planBuild, relative } from '../../server/build/plan.ts';
import { parseConfig } from '../../server/config.ts';

const images = {
  ...DEFAULT_IMAGES,
  node: 'kyozo/node-standin:20',
  static: 'kyozo/static-standin:1',
  nodeBuild: 'kyozo/node-standin:20',
};
const facts = (f: Partial<PlanFacts>): PlanFacts => ({
  context: '',
  dir: '.',
  files: [],
  tool: 'npm',
  hasDeps: false,
  build: null,
  start: null,
  port: 3000,
  ...f,
});
const svc = (s: Partial<Service>): Service => ({
  name: 'web',
  path: '.',
  type: 'web',
  runtime: 'node',
  framework: null,
  confidence: 0.9,
  evidence: [],
  port: 3000,
  healthPath: null,
  processes: {},
  build: { strategy: 'generated' },
  resources: { memoryMb: 512, cpus: 0.5 },
  ...s,
});
/** Instructions only the stand-in images support: no apt, no curl, shell via busybox /bin/sh. */
const standInSafe = (text: string) =>
  text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .every((l) => /^(FROM|WORKDIR|COPY|RUN|ENV|EXPOSE|CMD) /.test(l)) && !/apt-get|curl|corepack|ARG /.test(text);

describe('DEFAULT_IMAGES', () => {
  it('matches the defaults of server/config.ts', () => {
    expect(DEFAULT_IMAGES).toEqual(parseConfig({}, '/').images);
  });
});

describe('node plan', () => {
  it('copies manifests first, installs prod deps with the lockfile, runs the start file in exec form', () => {
    const t = generateDockerfile(
      'node',
      facts({ files: ['package.json', 'package-lock.json'], hasDeps: true, start: ['node', 'server.js'] }),
      images,
    );
    expect(t).toContain(
      'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev',
    );
    expect(t.indexOf('COPY package.json')).toBeLessThan(t.indexOf('COPY . .'));
    expect(t).toContain('ENV NODE_ENV=production');
    expect(t).toContain('CMD ["node","server.js"]');
    expect(standInSafe(t)).toBe(true);
  });
  it('skips the install step when package.json has no dependencies, uses npm install without a lockfile', () => {
    expect(
      generateDockerfile('node', facts({ files: ['package.json'], start: ['node', 'index.js'] }), images),
    ).not.toContain('RUN npm');
    expect(generateDockerfile('node', facts({ files: ['package.json'], hasDeps: true }), images)).toContain(
      'RUN npm install --omit=dev',
    );
  });
  it('with a build script installs all deps, builds, then prunes dev deps', () => {
    const t = generateDockerfile(
      'node',
      facts({
        files: ['package.json', 'package-lock.json'],
        hasDeps: true,
        build: 'npm run build',
        start: ['npm', 'start'],
      }),
      images,
    );
    expect(t).toMatch(/RUN npm ci --no-audit --no-fund\nCOPY \. \.\nRUN npm run build\nRUN npm prune --omit=dev/);
    expect(t).toContain('CMD ["npm","start"]');
  });
  it('pnpm and yarn use their lockfiles; workspace members install at the root and run in their folder', () => {
    expect(
      generateDockerfile(
        'node',
        facts({ tool: 'pnpm', files: ['package.json', 'pnpm-lock.yaml'], hasDeps: true }),
        images,
      ),
    ).toContain('corepack enable && pnpm install --frozen-lockfile --prod');
    expect(
      generateDockerfile('node', facts({ tool: 'yarn', files: ['package.json', 'yarn.lock'], hasDeps: true }), images),
    ).toContain('yarn install --frozen-lockfile --production');
    const ws = generateDockerfile(
      'node',
      facts({ dir: 'apps/api', hasDeps: true, build: 'npm run build', start: ['node', 'dist/main.js'] }),
      images,
    );
    expect(ws).toMatch(/COPY \. \.\nRUN npm ci --no-audit --no-fund\nWORKDIR \/app\/apps\/api\nRUN npm run build/);
  });
  it('never adds a build argument that changes between builds', () => {
    const t = generateDockerfile('node', facts({ files: ['package.json'], hasDeps: true, start: 'npm start' }), images);
    expect(t).not.toMatch(/ARG|date|\$\{?(BUILD|RELEASE|GIT)/i);
    expect(generateDockerfile('node', facts({ files: ['package.json'], hasDeps: true }), images)).toBe(
      generateDockerfile('node', facts({ files: ['package.json'], hasDeps: true }), images),
    );
  });
});

describe('static plan', () => {
  it('serves a plain folder with busybox httpd on $PORT (shell form so PORT expands)', () => {
    const t = generateDockerfile('static', facts({ tool: 'none', output: '.', port: 8080 }), images);
    expect(t).toContain('FROM kyozo/static-standin:1\nCOPY . /srv');
    expect(t).toContain('CMD exec busybox httpd -f -v -p ${PORT:-8080} -h /srv');
    expect(standInSafe(t)).toBe(true);
  });
  it('builds an SPA in nodeBuild and copies only the output', () => {
    const t = generateDockerfile(
      'static',
      facts({
        files: ['package.json', 'package-lock.json'],
        hasDeps: true,
        build: 'npm run build',
        output: 'dist',
        port: 8080,
      }),
      images,
    );
    expect(t).toMatch(/^FROM kyozo\/node-standin:20 AS build$/m);
    expect(t).toContain('RUN npm ci --no-audit --no-fund');
    expect(t).not.toContain('npm prune');
    expect(t).toContain('COPY --from=build /app/dist /srv');
    expect(standInSafe(t)).toBe(true);
  });
  it('Hugo, Jekyll and MkDocs build in their toolchains', () => {
    expect(
      generateDockerfile('static', facts({ tool: 'hugo', build: 'hugo --minify', output: 'public' }), images),
    ).toMatch(/hugo_extended_[\s\S]*RUN hugo --minify[\s\S]*COPY --from=build \/src\/public \/srv/);
    expect(
      generateDockerfile(
        'static',
        facts({
          tool: 'jekyll',
          files: ['Gemfile', 'Gemfile.lock'],
          build: 'bundle exec jekyll build',
          output: '_site',
        }),
        images,
      ),
    ).toMatch(/FROM ruby:3\.3-slim AS build[\s\S]*bundle exec jekyll build[\s\S]*\/src\/_site \/srv/);
    expect(generateDockerfile('static', facts({ tool: 'mkdocs', output: 'site' }), images)).toMatch(
      /pip install --no-cache-dir mkdocs[\s\S]*\/src\/site \/srv/,
    );
  });
});

describe('other runtimes', () => {
  it('python: pip, poetry, uv, pipenv; binds 0.0.0.0:$PORT; native driver packages', () => {
    const pip = generateDockerfile(
      'python',
      facts({
        tool: 'pip',
        files: ['requirements.txt'],
        hasDeps: true,
        start: 'gunicorn app:app --bind 0.0.0.0:${PORT:-5000}',
        port: 5000,
        packages: ['build-essential', 'libpq-dev'],
      }),
      images,
    );
    expect(pip).toMatch(
      /FROM python:3\.12-slim[\s\S]*apt-get install -y --no-install-recommends build-essential libpq-dev[\s\S]*COPY requirements\.txt \.\/\nRUN pip install -r requirements\.txt\nCOPY \. \./,
    );
    expect(pip).toContain('CMD exec gunicorn app:app --bind 0.0.0.0:${PORT:-5000}');
    expect(
      generateDockerfile(
        'python',
        facts({ tool: 'poetry', files: ['pyproject.toml', 'poetry.lock'], hasDeps: true }),
        images,
      ),
    ).toContain('poetry install --no-root --only main');
    expect(
      generateDockerfile('python', facts({ tool: 'uv', files: ['pyproject.toml', 'uv.lock'], hasDeps: true }), images),
    ).toMatch(/uv sync --frozen --no-dev[\s\S]*ENV PATH="\/app\/\.venv\/bin:\$PATH"/);
    expect(
      generateDockerfile(
        'python',
        facts({ tool: 'pipenv', files: ['Pipfile', 'Pipfile.lock'], hasDeps: true }),
        images,
      ),
    ).toContain('pipenv install --system --deploy');
    expect(
      generateDockerfile('python', facts({ tool: 'pip', files: ['requirements/prod.txt'], hasDeps: true }), images),
    ).toMatch(/COPY requirements\/ \.\/requirements\/\nRUN pip install -r requirements\/prod\.txt/);
  });
  it('go: static binaries for every main package, run on the static image with CA certificates', () => {
    const t = generateDockerfile(
      'go',
      facts({
        tool: 'go',
        files: ['go.mod', 'go.sum'],
        hasDeps: true,
        entry: 'api=./cmd/api worker=./cmd/worker',
        start: ['/app/api'],
        port: 8080,
      }),
      images,
    );
    expect(t).toMatch(
      /FROM golang:1\.23 AS build[\s\S]*RUN go mod download[\s\S]*ENV CGO_ENABLED=0\nRUN go build .* -o \/out\/api \.\/cmd\/api && go build .* -o \/out\/worker \.\/cmd\/worker/,
    );
    expect(t).toMatch(/FROM kyozo\/static-standin:1\nCOPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt/);
    expect(t).toContain('CMD ["/app/api"]');
  });
  it('ruby, php, bun, deno, rust, java, elixir, dotnet', () => {
    expect(
      generateDockerfile(
        'ruby',
        facts({
          tool: 'bundler',
          files: ['Gemfile', 'Gemfile.lock'],
          build: 'SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile',
          start: 'bundle exec rails server -b 0.0.0.0 -p ${PORT:-3000}',
        }),
        images,
      ),
    ).toMatch(
      /BUNDLE_DEPLOYMENT=1[\s\S]*COPY Gemfile Gemfile\.lock \.\/\nRUN bundle install[\s\S]*assets:precompile[\s\S]*CMD exec bundle exec rails server/,
    );
    const php = generateDockerfile(
      'php',
      facts({
        tool: 'composer',
        files: ['composer.json', 'composer.lock'],
        hasDeps: true,
        output: 'public',
        entry: 'laravel',
        port: 80,
      }),
      images,
    );
    expect(php).toMatch(
      /FROM php:8\.3-apache[\s\S]*APACHE_DOCUMENT_ROOT=\/var\/www\/html\/public[\s\S]*Listen \$\{PORT\}[\s\S]*composer install --no-dev[\s\S]*CMD \["apache2-foreground"\]/,
    );
    expect(
      generateDockerfile(
        'bun',
        facts({
          tool: 'bun',
          files: ['package.json', 'bun.lockb'],
          hasDeps: true,
          start: ['bun', 'run', 'src/index.ts'],
        }),
        images,
      ),
    ).toMatch(
      /FROM oven\/bun:1[\s\S]*bun install --frozen-lockfile --production[\s\S]*CMD \["bun","run","src\/index\.ts"\]/,
    );
    expect(
      generateDockerfile(
        'deno',
        facts({
          tool: 'deno',
          files: ['deno.json', 'deno.lock'],
          entry: 'main.ts',
          start: ['deno', 'task', 'start'],
          port: 8000,
        }),
        images,
      ),
    ).toMatch(/FROM denoland\/deno:2\.1\.4[\s\S]*deno cache --frozen main\.ts[\s\S]*CMD \["deno","task","start"\]/);
    expect(
      generateDockerfile(
        'rust',
        facts({ tool: 'cargo', files: ['Cargo.toml', 'Cargo.lock'], entry: 'api', start: ['/app/api'] }),
        images,
      ),
    ).toMatch(/cargo build --release --locked --bin api[\s\S]*FROM debian:bookworm-slim/);
    expect(
      generateDockerfile('java', facts({ tool: 'maven', files: ['pom.xml'], entry: 'wrapper', port: 8080 }), images),
    ).toMatch(
      /\.\/mvnw -B -DskipTests package[\s\S]*FROM eclipse-temurin:21-jre[\s\S]*-Dserver\.port=\$\{PORT:-8080\}/,
    );
    expect(
      generateDockerfile(
        'elixir',
        facts({
          tool: 'mix',
          files: ['mix.exs', 'mix.lock'],
          entry: 'chat',
          start: ['/app/bin/chat', 'start'],
          port: 4000,
        }),
        images,
      ),
    ).toMatch(/mix release[\s\S]*PHX_SERVER=true[\s\S]*COPY --from=build \/app\/_build\/prod\/rel\/chat \.\//);
    expect(
      generateDockerfile(
        'dotnet',
        facts({ tool: 'dotnet', files: ['Api.csproj'], entry: 'Api.csproj', port: 8080 }),
        images,
      ),
    ).toMatch(/dotnet publish Api\.csproj[\s\S]*ASPNETCORE_HTTP_PORTS=\$\{PORT:-8080\} && exec dotnet Api\.dll/);
  });
  it('php: required extensions are compiled (PECL ones via pecl), Vite assets are built by a Node stage into public/', () => {
    const t = generateDockerfile(
      'php',
      facts({
        tool: 'composer',
        files: ['composer.json', 'composer.lock'],
        hasDeps: true,
        output: 'public',
        entry: 'laravel',
        port: 80,
        extensions: ['exif', 'gd', 'redis'],
        assets: { tool: 'npm', files: ['package.json', 'package-lock.json'], build: 'npm run build' },
      }),
      images,
    );
    expect(t).toMatch(
      /^# Generated[^\n]*\nFROM kyozo\/node-standin:20 AS assets\nWORKDIR \/app\nCOPY package\.json package-lock\.json \.\/\nRUN npm ci --no-audit --no-fund\nCOPY \. \.\nRUN npm run build\nFROM php:8\.3-apache/,
    );
    expect(t).toContain('libpng-dev');
    expect(t).toContain(
      'RUN docker-php-ext-configure gd --with-freetype --with-jpeg --with-webp\nRUN docker-php-ext-install pdo_mysql pdo_pgsql zip opcache exif gd\nRUN pecl install redis && docker-php-ext-enable redis',
    );
    expect(t).toMatch(/COPY \. \.\nCOPY --from=assets \/app\/public \.\/public\nRUN composer dump-autoload/);
  });
  it('hugo: the pinned version, npm packages for Tailwind/PostCSS pipes before the build, Go for Hugo modules', () => {
    const t = generateDockerfile(
      'static',
      facts({
        tool: 'hugo',
        files: ['go.mod', 'go.sum'],
        build: 'hugo --minify',
        output: 'public',
        version: '0.153.2',
        assets: { tool: 'npm', files: ['package.json', 'package-lock.json'], build: '' },
      }),
      images,
    );
    expect(t).toContain('ARG HUGO_VERSION=0.153.2');
    expect(t).toContain('COPY --from=golang:1.23 /usr/local/go /usr/local/go');
    expect(t).toMatch(
      /WORKDIR \/src\nCOPY package\.json package-lock\.json \.\/\nRUN npm ci --no-audit --no-fund\nCOPY \. \.\nRUN hugo --minify/,
    );
  });
  it('refuses runtimes it has no plan for', () => {
    expect(() => generateDockerfile('cobol', facts({}), images)).toThrow(/no build plan/);
  });
});

describe('planBuild', () => {
  it('returns the Dockerfile path relative to the context for strategy dockerfile', () => {
    expect(
      planBuild(svc({ path: 'api', build: { strategy: 'dockerfile', dockerfile: 'api/Dockerfile.prod' } }), images),
    ).toEqual({ kind: 'file', dockerfilePath: 'Dockerfile.prod', context: 'api' });
    expect(
      planBuild(
        svc({ path: 'apps/web', build: { strategy: 'dockerfile', dockerfile: 'apps/web/Dockerfile', context: '.' } }),
        images,
      ),
    ).toEqual({ kind: 'file', dockerfilePath: 'apps/web/Dockerfile', context: '.' });
    expect(planBuild(svc({ path: '.', build: { strategy: 'dockerfile', dockerfile: 'Dockerfile' } }), images)).toEqual({
      kind: 'file',
      dockerfilePath: 'Dockerfile',
      context: '.',
    });
  });
  it('returns the generated text and the plan context for strategy generated', () => {
    const p = planBuild(svc({ plan: facts({ files: ['package.json'], start: ['node', 'server.js'] }) }), images);
    expect(p.kind).toBe('generated');
    if (p.kind === 'generated') {
      expect(p.context).toBe('.');
      expect(p.dockerfileText).toContain('FROM kyozo/node-standin:20');
    }
    const m = planBuild(svc({ path: 'apps/api', plan: facts({ context: '', dir: 'apps/api' }) }), images);
    expect(m.context).toBe('.');
  });
  it('throws for image-only services and services without facts', () => {
    expect(() => planBuild(svc({ path: null, build: { strategy: 'image', image: 'postgres:16' } }), images)).toThrow(
      /nothing to build/,
    );
    expect(() => planBuild(svc({}), images)).toThrow(/no build plan facts/);
  });
  it('relative() and cmd() helpers', () => {
    expect(relative('.', 'Dockerfile')).toBe('Dockerfile');
    expect(relative('a/b', 'a/b/c/Dockerfile')).toBe('c/Dockerfile');
    expect(relative('a/b', 'a/Dockerfile')).toBe('../Dockerfile');
    expect(cmd('npm start')).toBe('CMD ["npm","start"]');
    expect(cmd('gunicorn app:app --bind 0.0.0.0:$PORT')).toBe('CMD exec gunicorn app:app --bind 0.0.0.0:$PORT');
    expect(cmd('python manage.py migrate && gunicorn x')).toBe('CMD python manage.py migrate && gunicorn x');
    expect(cmd(['node', 'a b.js'])).toBe('CMD ["node","a b.js"]');
  });
});
