// package.json → a Node or Bun service: framework, type, start command, port, build plan; or a library (runs: false).
import { isObj, type Ctx, type Detection } from './context.ts';
import {
  NODE_ENTRIES,
  NODE_FRAMEWORKS,
  NODE_LOCKFILES,
  NODE_SERVERS,
  NODE_WORKER_LIBS,
  type NodeFramework,
} from './node-frameworks.ts';
import { nodeVariant } from './node-variants.ts';
import { backingUses, portInCommand, scanSources } from './source.ts';
import { join } from './tree.ts';
import { turboBuild } from './workspaces.ts';

export interface NodeOptions {
  workspaceRoot: string | null;
  workspaceNames?: Set<string>;
}

export function detectNode(ctx: Ctx, dir: string, opts: NodeOptions = { workspaceRoot: null }): Detection | null {
  const pj = join(dir, 'package.json');
  if (!ctx.tree.has(pj)) return null;
  const parsed = ctx.json(pj);
  const broken = !isObj(parsed);
  const pkg: Record<string, any> = broken ? {} : parsed;
  const deps: Record<string, string> = isObj(pkg.dependencies) ? pkg.dependencies : {};
  const dev: Record<string, string> = isObj(pkg.devDependencies) ? pkg.devDependencies : {};
  const all = { ...dev, ...deps };
  const scripts: Record<string, string> = isObj(pkg.scripts) ? { ...pkg.scripts } : {};
  // "start": "tsc -w" and friends are development watchers, not a way to run the app.
  if (
    typeof scripts.start !== 'string' ||
    /^(tsc|tsup|tsdown|rollup|webpack|babel|esbuild|swc|microbundle|unbuild|parcel watch|vite build)\b/.test(
      scripts.start.trim(),
    )
  )
    delete scripts.start;
  const files = ctx.tree.filesIn(dir);
  const ev: string[] = broken ? ['package.json is unparsable (guessing from files)'] : [];
  const lockDir = opts.workspaceRoot ?? dir;
  const lock = ctx.tree.first(lockDir, NODE_LOCKFILES);
  const pm = String(pkg.packageManager ?? '');
  const isBun =
    lock === 'bun.lockb' ||
    lock === 'bun.lock' ||
    pm.startsWith('bun@') ||
    /^bun\s/.test(scripts.start ?? '') ||
    'elysia' in all;
  const runtime = isBun ? 'bun' : 'node';
  const tool = isBun
    ? 'bun'
    : lock === 'pnpm-lock.yaml' || pm.startsWith('pnpm@')
      ? 'pnpm'
      : lock === 'yarn.lock' || pm.startsWith('yarn@')
        ? 'yarn'
        : 'npm';

  // Server frameworks count only as runtime dependencies (in devDependencies they are test tools of a library).
  const matches = NODE_FRAMEWORKS.filter((f) =>
    f.deps.some((d) => (NODE_SERVERS.has(f.framework) ? d in deps : d in all)),
  );
  let fw: NodeFramework | undefined = matches[0];
  const server = matches.find((f) => NODE_SERVERS.has(f.framework) && f.deps.some((d) => d in deps));
  if (fw && fw.type === 'static' && server && (scripts.start || (fw.framework === 'vite' && !files.has('index.html'))))
    fw = server;
  const v = fw ? nodeVariant(ctx, dir, fw, all, scripts) : null;
  let type: Detection['type'] = v?.type ?? fw?.type ?? 'web';
  let confidence = 0.5;
  if (fw) {
    const dep = fw.deps.find((d) => d in all) ?? fw.deps[0];
    ev.push(`package.json depends on ${dep}`);
    const conf = fw.configs?.find((c) => files.has(c));
    if (conf) ev.push(`${conf} present`);
    confidence = conf ? 0.95 : 0.88;
    if (v?.evidence) ev.push(v.evidence);
  }
  const workerLib = NODE_WORKER_LIBS.find((d) => d in deps);
  const isLibrary =
    !scripts.start &&
    (pkg.exports || pkg.types || pkg.typings || pkg.module || Array.isArray(pkg.files)) &&
    (!fw || (fw.type === 'static' && !files.has('index.html') && !files.has('angular.json')));
  const entryCands = [
    typeof pkg.main === 'string' ? pkg.main.replace(/^\.\//, '') : '',
    startFile(scripts.start),
    ...NODE_ENTRIES,
  ].filter(Boolean);
  const src = isLibrary ? { port: null, healthPath: null, file: null, text: '' } : scanSources(ctx, dir, entryCands, 4);
  const serves = /\.listen\(|createServer\(|Bun\.serve\(|serve\(\s*\{|export default\s*\{[^}]*fetch/.test(src.text);
  if (!fw && workerLib && !serves) {
    type = 'worker';
    confidence = 0.8;
    ev.push(`package.json depends on ${workerLib} and no web server was found`);
  } else if (!fw && scripts.start) {
    confidence = serves ? 0.75 : 0.55;
    ev.push(`package.json has a start script${serves ? ` and ${src.file} starts an HTTP server` : ''}`);
  } else if (!fw && serves && !isLibrary) {
    confidence = broken ? 0.45 : 0.6;
    ev.push(`${src.file} starts an HTTP server`);
  }
  const runs =
    !isLibrary &&
    (!!fw || !!scripts.start || serves || (!!workerLib && !!src.file)) &&
    (type !== 'static' || !!v?.output || !!fw?.output);
  if (!runs)
    return {
      runtime,
      framework: fw?.framework ?? null,
      type,
      confidence: 0.2,
      evidence: ev,
      port: null,
      healthPath: null,
      processes: {},
      runs: false,
      name: pkg.name,
    };
  if (lock) ev.push(`${lock} present`);

  // Port: command flags, then source, then the framework default.
  let port =
    portInCommand(scripts.start) ??
    (type === 'static' ? 8080 : null) ??
    (NODE_SERVERS.has(fw?.framework ?? '') || !fw ? src.port : null) ??
    null;
  if (port === null && type === 'web' && (fw || /process\.env\.PORT|Bun\.env\.PORT/.test(src.text)))
    port = fw?.port ?? 3000;
  const healthPath = src.healthPath ?? nextHealth(ctx, dir);
  const run = (s: string) => (tool === 'npm' ? `npm run ${s}` : `${tool} run ${s}`);
  const start = type === 'static' ? null : startCommand(scripts, pkg.main, fw?.framework ?? null, runtime, src.file);
  const processes: Record<string, string> = {};
  if (start) processes[type === 'worker' ? 'worker' : 'web'] = Array.isArray(start) ? start.join(' ') : start;
  if (scripts.worker && type !== 'worker') processes.worker = run('worker');
  const hasBuild = !!scripts.build;
  const buildCmd = hasBuild
    ? ((opts.workspaceRoot !== null ? turboBuild(ctx, opts.workspaceRoot, dir, pkg.name) : null) ?? run('build'))
    : type === 'static' && fw
      ? `npx ${fw.framework === 'create-react-app' ? 'react-scripts' : fw.framework} build`
      : null;
  const planFiles =
    opts.workspaceRoot !== null
      ? []
      : [
          'package.json',
          ...NODE_LOCKFILES.filter((f) => files.has(f)),
          ...['.npmrc', '.yarnrc.yml'].filter((f) => files.has(f)),
        ];
  const localDeps = opts.workspaceNames ? Object.keys(all).filter((d) => opts.workspaceNames!.has(d)) : [];
  return {
    runtime: type === 'static' ? 'static' : runtime,
    framework: fw?.framework ?? null,
    type,
    confidence,
    evidence: ev,
    port,
    healthPath,
    processes,
    runs: true,
    name: typeof pkg.name === 'string' ? pkg.name : undefined,
    uses: backingUses(Object.keys(deps)),
    localDeps,
    memoryMb: fw?.memoryMb,
    plan: {
      context: opts.workspaceRoot ?? dir,
      dir: opts.workspaceRoot !== null ? dir || '.' : '.',
      files: planFiles,
      tool,
      hasDeps: Object.keys(deps).length > 0 || (!!buildCmd && Object.keys(dev).length > 0),
      build: buildCmd,
      start,
      output: v?.output ?? fw?.output,
      port: port ?? 3000,
      ...engineOf(ctx, pkg, opts.workspaceRoot),
    },
  };
}

/** `engines.node` of the package, else of its workspace root (monorepos declare it once). */
function engineOf(ctx: Ctx, pkg: Record<string, any>, root: string | null): { engine?: string } {
  if (typeof pkg.engines?.node === 'string') return { engine: pkg.engines.node };
  const rootPkg = root !== null ? (ctx.json(join(root, 'package.json')) as Record<string, any> | null) : null;
  return typeof rootPkg?.engines?.node === 'string' ? { engine: rootPkg.engines.node } : {};
}

function startFile(start: string | undefined): string {
  return (
    /^(?:node|bun(?: run)?|tsx|ts-node)\s+([\w./@-]+\.[cm]?[jt]s)\b/.exec(start ?? '')?.[1]?.replace(/^\.\//, '') ?? ''
  );
}

function startCommand(
  scripts: Record<string, string>,
  main: unknown,
  fw: string | null,
  runtime: string,
  entry: string | null,
): string[] | string | null {
  const s = scripts.start?.trim();
  const simple = s && /^(node|bun)(?: run)? ([\w./@-]+\.[cm]?[jt]s)$/.exec(s);
  if (simple) return runtime === 'bun' ? ['bun', 'run', simple[2]] : ['node', simple[2]];
  // npm runs any package manager's scripts and is in every Node image.
  if (s) return runtime === 'bun' ? ['bun', 'run', 'start'] : ['npm', 'start'];
  if (fw === 'nuxt' || fw === 'tanstack-start' || fw === 'solid-start') return ['node', '.output/server/index.mjs'];
  if (fw === 'next' || fw === 'remix')
    return fw === 'next' ? ['npx', 'next', 'start'] : ['npx', 'remix-serve', 'build/index.js'];
  const file = typeof main === 'string' && main ? main.replace(/^\.\//, '') : entry;
  if (!file) return null;
  if (runtime === 'bun') return ['bun', 'run', file];
  if (/\.ts$/.test(file)) return ['npx', 'tsx', file];
  return ['node', file];
}

function nextHealth(ctx: Ctx, dir: string): string | null {
  for (const base of [
    'app/api/health',
    'src/app/api/health',
    'app/api/healthz',
    'app/healthz',
    'app/health',
    'src/app/health',
  ]) {
    for (const ext of ['ts', 'js'])
      if (ctx.tree.has(join(dir, `${base}/route.${ext}`))) return '/' + base.replace(/^(src\/)?app\//, '');
  }
  for (const p of [
    'pages/api/health',
    'src/pages/api/health',
    'pages/api/healthz',
    'src/routes/health/+server',
    'src/routes/api/health/+server',
  ]) {
    for (const ext of ['ts', 'js'])
      if (ctx.tree.has(join(dir, `${p}.${ext}`)))
        return '/' + p.replace(/^(src\/)?(pages|routes)\//, '').replace(/\/\+server$/, '');
  }
  return null;
}
