// Recommendations about the topology as a whole: nothing deployable, lockfiles, health checks, ports, guesses, size.
import type { Ctx } from './context.ts';
import type { Service, Snapshot } from './types.ts';

const LOOKED_FOR =
  'a Dockerfile, docker-compose.yml/compose.yaml, a Procfile, package.json with a start script, server entry or framework, ' +
  'requirements.txt/pyproject.toml/Pipfile with a web framework or worker library, go.mod with a main package, Gemfile (Rails, Sinatra, Sidekiq), ' +
  'composer.json/index.php, pom.xml/build.gradle (Spring Boot, Quarkus), Cargo.toml with a web framework, mix.exs (Phoenix), *.csproj (ASP.NET), ' +
  'deno.json, Hugo/Jekyll/MkDocs config, or an index.html';

export function generalRecs(ctx: Ctx, services: Service[], snap: Snapshot): void {
  if (!services.length) {
    ctx.rec(
      'high',
      'nothing-deployable',
      null,
      `No deployable service found (${ctx.tree.count} files). Looked for ${LOOKED_FOR}; libraries, tests, examples and dependency folders are not services.`,
    );
  }
  for (const s of services) {
    if (s.path === null) continue;
    const f = s.plan;
    if (f && f.dir === '.') {
      const missing =
        (f.tool === 'npm' || f.tool === 'yarn' || f.tool === 'pnpm' || f.tool === 'bun') &&
        f.hasDeps &&
        !f.files.some((x) => /lock|shrinkwrap/.test(x))
          ? 'package-lock.json (or yarn.lock / pnpm-lock.yaml)'
          : f.tool === 'bundler' && !f.files.includes('Gemfile.lock')
            ? 'Gemfile.lock'
            : f.tool === 'composer' && f.hasDeps && !f.files.includes('composer.lock')
              ? 'composer.lock'
              : f.tool === 'poetry' && !f.files.includes('poetry.lock')
                ? 'poetry.lock'
                : null;
      if (missing)
        ctx.rec(
          'medium',
          'no-lockfile',
          s.path,
          `${s.name} has no ${missing}: every build resolves dependency versions again, so two releases of the same commit can differ. Commit the lockfile.`,
        );
    }
    if (s.type === 'web' && s.port === null)
      ctx.rec(
        'medium',
        'port-unknown',
        s.path,
        `${s.name}: no listening port found. Kyozo sets PORT; make the app listen on process PORT (or EXPOSE it in the Dockerfile).`,
      );
    if (s.type === 'web' && s.healthPath === null)
      ctx.rec(
        'low',
        'no-health-endpoint',
        s.path,
        `${s.name} has no health endpoint (looked for /health, /healthz, /up, /ping...). Kyozo checks GET / instead (any status below 500 passes); add a route that checks the app's dependencies and set it as healthPath in kyozo.json if it is not found.`,
      );
    envExample(ctx, s);
    if (s.confidence < 0.5)
      ctx.rec(
        'low',
        'low-confidence',
        s.path,
        `${s.name} is a guess (confidence ${s.confidence}): ${s.evidence.join('; ')}. Add a Dockerfile or Procfile to make it explicit.`,
      );
  }
  if (snap.truncated || ctx.tree.count > 50_000)
    ctx.rec(
      'low',
      'huge-repo',
      null,
      `The repository has ${ctx.tree.count}${snap.truncated ? '+' : ''} files outside dependency folders${snap.truncated ? ' (the listing was cut short)' : ''}; builds send the whole context to Docker. Add a .dockerignore and keep generated files out of git.`,
    );
}

const EXAMPLES = [
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.dist',
  'env.example',
  '.env.local.example',
  'example.env',
  'sample.env',
];

/** Variables an .env example declares: the app (or its build) expects them; compose services already declare theirs. */
function envExample(ctx: Ctx, s: Service): void {
  if (s.env || s.path === null) return;
  const dir = s.path === '.' ? '' : s.path;
  // Monorepo apps often load the root .env (dotenv -e ../../.env).
  const file = [...EXAMPLES.map((n) => (dir ? `${dir}/${n}` : n)), ...(dir ? EXAMPLES : [])].find((p) =>
    ctx.tree.has(p),
  );
  const names = [
    ...new Set(
      [...(ctx.text(file ?? '', 32 * 1024) ?? '').matchAll(/^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=/gm)].map(
        (m) => m[1],
      ),
    ),
  ].filter((n) => !/^(NODE_ENV|PORT|HOST|DEBUG|LOG_LEVEL)$/.test(n));
  if (!file || !names.length) return;
  const list = names.slice(0, 8).join(', ') + (names.length > 8 ? `, +${names.length - 8} more` : '');
  ctx.rec(
    'medium',
    'env-vars-expected',
    s.path,
    `${s.name}: ${file} lists ${list}. Set them as config vars (kyozo config:set) before the first deploy: apps that read them at boot fail without them. Config vars reach the running app, not the image build; a build that needs them must default them.`,
  );
}
