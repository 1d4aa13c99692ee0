// composer.json / index.php → Laravel, Symfony, Slim, WordPress or plain PHP served by Apache.
import { isObj, type Ctx, type Detection } from './context.ts';
import { NODE_LOCKFILES } from './node-frameworks.ts';
import { scanSources } from './source.ts';
import { join } from './tree.ts';

const FRAMEWORKS: [string, string, string][] = [
  ['laravel/framework', 'laravel', 'public'],
  ['symfony/framework-bundle', 'symfony', 'public'],
  ['slim/slim', 'slim', 'public'],
  ['laravel/lumen-framework', 'lumen', 'public'],
  ['cakephp/cakephp', 'cakephp', 'webroot'],
  ['yiisoft/yii2', 'yii', 'web'],
  ['codeigniter4/framework', 'codeigniter', 'public'],
];

export function detectPhp(ctx: Ctx, dir: string): Detection | null {
  const files = ctx.tree.filesIn(dir);
  const hasComposer = files.has('composer.json');
  const wordpress = files.has('wp-config.php') || files.has('wp-config-sample.php') || files.has('wp-login.php');
  const indexPhp = files.has('index.php') || ctx.tree.has(join(dir, 'public/index.php'));
  if (!hasComposer && !indexPhp && !wordpress) return null;
  const c = hasComposer ? ctx.json(join(dir, 'composer.json')) : null;
  const req = isObj(c) && isObj(c.require) ? Object.keys(c.require) : [];
  const ev: string[] = hasComposer ? ['composer.json present'] : [];
  const fw = FRAMEWORKS.find(([p]) => req.includes(p));
  let framework: string | null = fw?.[1] ?? null;
  let docroot = fw?.[2] ?? (ctx.tree.has(join(dir, 'public/index.php')) ? 'public' : '.');
  let conf: number;
  if (fw) {
    ev.unshift(`composer.json requires ${fw[0]}`);
    if (fw[1] === 'laravel' && files.has('artisan')) ev.push('artisan present');
    conf = files.has('artisan') || ctx.tree.has(join(dir, `${docroot}/index.php`)) ? 0.95 : 0.85;
  } else if (wordpress) {
    framework = 'wordpress';
    docroot = '.';
    conf = 0.9;
    ev.push('WordPress core files present');
  } else if (indexPhp) {
    conf = hasComposer ? 0.75 : 0.7;
    ev.push(`${docroot === '.' ? '' : docroot + '/'}index.php present`);
  } else
    return {
      runtime: 'php',
      framework: null,
      type: 'web',
      confidence: 0.2,
      evidence: [...ev, 'no index.php or framework: a library'],
      port: null,
      healthPath: null,
      processes: {},
      runs: false,
    };
  const processes: Record<string, string> = { web: 'apache2-foreground' };
  if (framework === 'laravel') {
    processes.release = 'php artisan migrate --force';
    if (req.includes('laravel/horizon')) processes.worker = 'php artisan horizon';
    else processes.worker = 'php artisan queue:work';
  }
  const src = scanSources(
    ctx,
    dir,
    framework === 'laravel'
      ? ['routes/web.php', 'routes/api.php']
      : [`${docroot}/index.php`.replace(/^\.\//, ''), 'index.php'],
  );
  const health =
    framework === 'laravel' && /health:\s*['"]\/up['"]/.test(ctx.text(join(dir, 'bootstrap/app.php'), 16 * 1024) ?? '')
      ? '/up'
      : src.healthPath;
  const name = isObj(c) && typeof c.name === 'string' ? c.name.split('/').pop() : undefined;
  return {
    runtime: 'php',
    framework,
    type: 'web',
    confidence: conf,
    evidence: ev,
    port: 80,
    healthPath: health,
    processes,
    runs: true,
    name,
    uses: req.some((r) => /predis|phpredis/.test(r)) ? ['redis'] : [],
    plan: {
      context: dir,
      dir: '.',
      files: hasComposer ? ['composer.json', ...(files.has('composer.lock') ? ['composer.lock'] : [])] : [],
      tool: hasComposer ? 'composer' : 'none',
      hasDeps: req.some((r) => r !== 'php' && !r.startsWith('ext-')),
      build: null,
      start: null,
      port: 80,
      output: docroot,
      entry: framework === 'laravel' ? 'laravel' : framework === 'symfony' ? 'symfony' : undefined,
      extensions: phpExtensions(req),
      assets: phpAssets(ctx, dir),
    },
  };
}

/** Extensions compiled into the official php images; others must be installed or `composer install` refuses to run. */
const BUILT_IN = new Set([
  'ctype',
  'curl',
  'date',
  'dom',
  'fileinfo',
  'filter',
  'hash',
  'iconv',
  'json',
  'libxml',
  'mbstring',
  'mysqlnd',
  'openssl',
  'pcre',
  'pdo',
  'pdo_sqlite',
  'phar',
  'posix',
  'readline',
  'reflection',
  'session',
  'simplexml',
  'sodium',
  'spl',
  'sqlite3',
  'standard',
  'tokenizer',
  'xml',
  'xmlreader',
  'xmlwriter',
  'zlib',
]);
function phpExtensions(req: string[]): string[] | undefined {
  const ext = req
    .filter((r) => r.startsWith('ext-'))
    .map((r) => r.slice(4).toLowerCase())
    .filter((e) => !BUILT_IN.has(e));
  return ext.length ? [...new Set(ext)].sort() : undefined;
}

/** package.json with a Vite/Mix build next to a PHP app: its output (public/build) must be built into the image. */
function phpAssets(ctx: Ctx, dir: string): { tool: string; files: string[]; build: string } | undefined {
  const pkg = ctx.tree.has(join(dir, 'package.json')) ? ctx.json(join(dir, 'package.json')) : null;
  if (!isObj(pkg) || !isObj(pkg.scripts) || typeof pkg.scripts.build !== 'string') return undefined;
  const all = {
    ...(isObj(pkg.dependencies) ? pkg.dependencies : {}),
    ...(isObj(pkg.devDependencies) ? pkg.devDependencies : {}),
  };
  if (!['vite', 'laravel-vite-plugin', 'laravel-mix', 'webpack', '@symfony/webpack-encore'].some((d) => d in all))
    return undefined;
  const files = ctx.tree.filesIn(dir);
  const lock = NODE_LOCKFILES.find((f) => files.has(f));
  const tool =
    lock === 'pnpm-lock.yaml' ? 'pnpm' : lock === 'yarn.lock' ? 'yarn' : lock?.startsWith('bun') ? 'bun' : 'npm';
  return {
    tool,
    files: ['package.json', ...(lock ? [lock] : [])],
    build: tool === 'npm' ? 'npm run build' : `${tool} run build`,
  };
}
