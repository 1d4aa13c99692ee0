// Static sites that are not npm projects: Hugo, Jekyll, MkDocs, or a folder of HTML served as is.
import { isObj, type Ctx, type Detection } from './context.ts';
import { NODE_LOCKFILES } from './node-frameworks.ts';
import type { PlanFacts } from './types.ts';
import { gems } from './ruby.ts';
import { join } from './tree.ts';

const site = (
  framework: string | null,
  confidence: number,
  evidence: string[],
  tool: string,
  files: string[],
  build: string | null,
  output: string,
): Detection => ({
  runtime: 'static',
  framework,
  type: 'static',
  confidence,
  evidence,
  port: 8080,
  healthPath: null,
  processes: {},
  runs: true,
  plan: { context: '', dir: '.', files, tool, hasDeps: files.length > 0, build, start: null, port: 8080, output },
});

const DEFAULT_HUGO = '0.139.3';
const newer = (a: string, b: string) => {
  const x = a.split('.').map(Number),
    y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

/** The Hugo version the site pins (Netlify/Vercel env, module.hugoVersion.min), Node deps for Tailwind/PostCSS pipes, Go for Hugo modules. */
function hugoExtras(ctx: Ctx, dir: string, cfg: string): Partial<PlanFacts> {
  const ver = (t: string | null, re: RegExp) => (t ? (re.exec(t)?.[1] ?? null) : null);
  const pinned =
    ver(ctx.text(join(dir, 'netlify.toml'), 32 * 1024), /HUGO_VERSION\s*=\s*["']?v?(\d+\.\d+\.\d+)/) ??
    ver(ctx.text(join(dir, 'vercel.json'), 32 * 1024), /"HUGO_VERSION"\s*:\s*"v?(\d+\.\d+\.\d+)"/) ??
    ver(ctx.text(join(dir, '.hvm'), 1024), /v?(\d+\.\d+\.\d+)/);
  const min = ver(
    ctx.text(join(dir, cfg), 64 * 1024),
    /hugoVersion[\s\S]{0,200}?\bmin\w*\s*[=:]\s*["']?v?(\d+\.\d+\.\d+)/,
  );
  const version = pinned ?? (min && newer(min, DEFAULT_HUGO) ? min : undefined);
  const files = ctx.tree.filesIn(dir);
  const pkg = files.has('package.json') ? ctx.json(join(dir, 'package.json')) : null;
  const npmDeps =
    isObj(pkg) && [pkg.dependencies, pkg.devDependencies].some((d) => isObj(d) && Object.keys(d).length > 0);
  const lock = NODE_LOCKFILES.find((f) => files.has(f));
  const tool = lock === 'pnpm-lock.yaml' ? 'pnpm' : lock === 'yarn.lock' ? 'yarn' : 'npm';
  const modules = /^\s*require\b/m.test(ctx.text(join(dir, 'go.mod'), 32 * 1024) ?? '');
  return {
    ...(version ? { version } : {}),
    ...(modules ? { files: ['go.mod', ...(files.has('go.sum') ? ['go.sum'] : [])] } : {}),
    ...(npmDeps ? { assets: { tool, files: ['package.json', ...(lock ? [lock] : [])], build: '' } } : {}),
  };
}

export function detectStatic(ctx: Ctx, dir: string): Detection | null {
  const files = ctx.tree.filesIn(dir);
  const isDir = (d: string) => ctx.tree.isDir(join(dir, d));
  const withDir = (d: Detection) => ({ ...d, plan: { ...d.plan!, context: dir } });
  const hugoCfg = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml'].find(
    (f) => files.has(f),
  );
  if (
    hugoCfg &&
    (hugoCfg.startsWith('hugo.') ||
      ((isDir('content') || isDir('layouts') || isDir('themes')) &&
        /baseURL|baseurl|theme/.test(ctx.text(join(dir, hugoCfg), 16 * 1024) ?? '')))
  ) {
    const ev = [
      `${hugoCfg} present`,
      ...['content', 'layouts', 'themes', 'archetypes'].filter(isDir).map((d) => `${d}/ folder`),
    ];
    const d = withDir(
      site(
        'hugo',
        hugoCfg.startsWith('hugo.') || ev.length > 2 ? 0.93 : 0.85,
        ev,
        'hugo',
        [],
        'hugo --minify',
        'public',
      ),
    );
    return { ...d, plan: { ...d.plan!, ...hugoExtras(ctx, dir, hugoCfg) } };
  }
  if (files.has('_config.yml') || files.has('_config.yaml')) {
    const gemfile = ctx.text(join(dir, 'Gemfile'), 32 * 1024);
    const jekyllGem = gemfile !== null && gems(gemfile).some((g) => g === 'jekyll' || g === 'github-pages');
    const layout = ['_posts', '_layouts', '_includes'].filter(isDir);
    if (jekyllGem || layout.length) {
      const ev = [
        '_config.yml present',
        ...(jekyllGem ? ['Gemfile depends on jekyll'] : []),
        ...layout.map((d) => `${d}/ folder`),
      ];
      return withDir(
        site(
          'jekyll',
          jekyllGem ? 0.93 : 0.8,
          ev,
          'jekyll',
          gemfile !== null ? ['Gemfile', ...(files.has('Gemfile.lock') ? ['Gemfile.lock'] : [])] : [],
          'bundle exec jekyll build',
          '_site',
        ),
      );
    }
  }
  if (files.has('mkdocs.yml')) {
    const req = files.has('requirements.txt') ? ['requirements.txt'] : [];
    return withDir(site('mkdocs', 0.9, ['mkdocs.yml present'], 'mkdocs', req, 'mkdocs build', 'site'));
  }
  if (files.has('index.html')) {
    const manifests = [
      'package.json',
      'requirements.txt',
      'pyproject.toml',
      'go.mod',
      'Gemfile',
      'composer.json',
      'Cargo.toml',
      'pom.xml',
    ];
    if (manifests.some((m) => files.has(m))) return null;
    const assets = [...files].filter((f) => /\.(html|css|js)$/.test(f)).length;
    return withDir(
      site(
        null,
        assets > 1 ? 0.75 : 0.65,
        [
          `index.html present${assets > 1 ? ` with ${assets - 1} other web files` : ''}`,
          'no server manifest: served as files',
        ],
        'none',
        [],
        null,
        '.',
      ),
    );
  }
  return null;
}
