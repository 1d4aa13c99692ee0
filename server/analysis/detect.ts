// One folder → at most one Detection: every runtime detector runs, the strongest running one wins,
// a Dockerfile overrides how it is built and run, a Procfile fills its processes.
import { detectDotnet, detectElixir, detectJava, detectRust } from './compiled.ts';
import type { Ctx, Detection } from './context.ts';
import { detectDeno } from './deno.ts';
import { findDockerfile, parseDockerfile, type DockerfileInfo } from './dockerfile.ts';
import { detectGo } from './go.ts';
import { detectNode, type NodeOptions } from './node.ts';
import { detectPhp } from './php.ts';
import { readProcfile } from './procfile.ts';
import { detectPython } from './python.ts';
import { detectRuby } from './ruby.ts';
import { portInCommand } from './source.ts';
import { detectStatic } from './static.ts';
import { basename, dirname } from './tree.ts';

export interface DirDetection extends Detection {
  dockerfile?: DockerfileInfo;
  buildContext?: string;
}

/** File names that can make a folder a service; a folder with none of them is skipped without running detectors. */
const DECISIVE = new Set([
  'package.json',
  'requirements.in',
  'deno.json',
  'deno.jsonc',
  'deno.lock',
  'requirements.txt',
  'pyproject.toml',
  'Pipfile',
  'setup.py',
  'manage.py',
  'go.mod',
  'Gemfile',
  'composer.json',
  'index.php',
  'wp-config.php',
  'wp-config-sample.php',
  'wp-login.php',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'Cargo.toml',
  'mix.exs',
  'hugo.toml',
  'hugo.yaml',
  'hugo.yml',
  'hugo.json',
  'config.toml',
  'config.yaml',
  'config.yml',
  '_config.yml',
  '_config.yaml',
  'mkdocs.yml',
  'index.html',
  'Procfile',
  'Dockerfile',
  'Containerfile',
  'dockerfile',
  'Dockerfile.prod',
  'Dockerfile.production',
]);
export function mayBeService(ctx: Ctx, dir: string): boolean {
  for (const f of ctx.tree.filesIn(dir)) if (DECISIVE.has(f) || f.endsWith('proj')) return true;
  return (
    ctx.tree.isDir(dir ? `${dir}/requirements` : 'requirements') ||
    ctx.tree.has(dir ? `${dir}/public/index.php` : 'public/index.php')
  );
}

export function inferDir(ctx: Ctx, dir: string, node: NodeOptions = { workspaceRoot: null }): Detection | null {
  if (!mayBeService(ctx, dir)) return null;
  const found: Detection[] = [];
  for (const d of [
    detectDeno(ctx, dir),
    detectNode(ctx, dir, node),
    detectPython(ctx, dir),
    detectGo(ctx, dir),
    detectRuby(ctx, dir),
    detectPhp(ctx, dir),
    detectJava(ctx, dir),
    detectRust(ctx, dir),
    detectElixir(ctx, dir),
    detectDotnet(ctx, dir),
    detectStatic(ctx, dir),
  ])
    if (d) found.push(d);
  const running = found.filter((d) => d.runs);
  if (!running.length) return found[0] ?? null;
  // A backend next to a bundler config (Laravel + Vite, Rails + esbuild) is the service; the bundler is its asset step.
  const backend = running.some((d) => d.type !== 'static' && d.confidence >= 0.7);
  const pool = backend ? running.filter((d) => d.type !== 'static') : running;
  return [...pool].sort((a, b) => b.confidence - a.confidence)[0];
}

export function detectDir(ctx: Ctx, dir: string, node: NodeOptions = { workspaceRoot: null }): DirDetection | null {
  if (!mayBeService(ctx, dir)) return null;
  const inferred = inferDir(ctx, dir, node);
  const df = findDockerfile(ctx, dir);
  let det: DirDetection | null = inferred && inferred.runs ? { ...inferred } : null;
  if (df) {
    const text = ctx.text(df, 128 * 1024) ?? '';
    const info = parseDockerfile(text, df);
    const inf = inferred?.runs ? inferred : null;
    const worker =
      !info.port && (inf?.type === 'worker' || /worker|celery|sidekiq|consumer|queue/.test(info.cmd ?? ''));
    const ev = [`${basename(df)} present${info.bases.length ? ` (FROM ${info.bases[info.bases.length - 1]})` : ''}`];
    if (info.port) ev.push(`EXPOSE ${info.port}`);
    if (inf) ev.push(...inf.evidence.slice(0, 3).map((e) => `inferred: ${e}`));
    // Monorepo Dockerfiles often COPY paths relative to the repository root (e.g. "COPY apps/web ./").
    const rootContext = dir !== '' && info.copies.some((c) => c.startsWith(dir + '/') || c === dir);
    const processes: Record<string, string> = info.cmd ? { [worker ? 'worker' : 'web']: info.cmd } : {};
    // The image runs the framework's queue worker too (bundle exec sidekiq, celery -A app worker): keep it as a process.
    const infWorker = !worker && inf?.processes.worker;
    if (infWorker && !infWorker.startsWith('/')) {
      processes.worker = infWorker;
      ev.push(`inferred: worker process ${infWorker}`);
    }
    det = {
      runtime: 'docker',
      framework: inf?.framework ?? null,
      type: worker ? 'worker' : (inf?.type ?? 'web'),
      confidence: info.port || worker ? 0.95 : 0.85,
      evidence: ev,
      port: info.port ?? inf?.port ?? null,
      healthPath: info.healthPath ?? inf?.healthPath ?? null,
      processes,
      runs: true,
      name: inf?.name,
      uses: inf?.uses,
      localDeps: inf?.localDeps,
      memoryMb: inf?.memoryMb,
      dockerfile: info,
      buildContext: rootContext ? '' : dir,
    };
  }
  const proc = readProcfile(ctx, dir);
  if (proc && det) {
    det.processes = { ...proc };
    det.evidence.push(`Procfile declares ${Object.keys(proc).join(', ')}`);
    if (proc.web) {
      if (det.type === 'worker') {
        det.type = 'web';
        det.port ??= portInCommand(proc.web) ?? 8080;
      }
      det.port = portInCommand(proc.web) ?? det.port;
      det.confidence = Math.max(det.confidence, 0.8);
      if (det.plan) det.plan = { ...det.plan, start: proc.web, port: det.port ?? det.plan.port };
    } else if (proc.worker && det.type === 'web' && !det.framework) {
      det.type = 'worker';
      det.port = null;
      if (det.plan) det.plan = { ...det.plan, start: proc.worker };
    }
  }
  return det;
}

export const parentOf = dirname;
