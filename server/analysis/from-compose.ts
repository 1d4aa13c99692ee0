// Compose services → drafts: build contexts become built services (enriched by inference), images become
// backing services or image-only services; depends_on and URLs in environment become dependencies.
import type { Ctx } from './context.ts';
import { envHosts, findCompose, readCompose, type ComposeService } from './compose.ts';
import { detectDir, inferDir } from './detect.ts';
import { toService } from './discover.ts';
import { parseDockerfile, dockerfileRecs } from './dockerfile.ts';
import { backingService, defaultResources, imageRepo } from './images.ts';
import type { Draft } from './links.ts';
import type { Dependency, Service } from './types.ts';
import { basename, display } from './tree.ts';

type NamedDraft = Draft & { hint: string; key: string };

export function composeServices(ctx: Ctx, deps: Dependency[]): { drafts: NamedDraft[]; authoritative: boolean } {
  const file = findCompose(ctx);
  const compose = file ? readCompose(ctx, file) : null;
  if (!file || !compose) return { drafts: [], authoritative: false };
  const fname = basename(file);
  const drafts: NamedDraft[] = [];
  let buildable = 0;
  for (const cs of compose.services) {
    const d = cs.build ? built(ctx, cs, fname) : cs.image ? image(cs, fname) : null;
    if (d) drafts.push(d);
    if (d && cs.build) buildable++;
  }
  // Only services that were kept (buildable or image) take part in dependencies.
  const kept = new Set(drafts.map((d) => d.key));
  const keys = new Set(drafts.map((d) => d.key.toLowerCase()));
  const add = (from: string, to: string, reason: string) => { if (from !== to && keys.has(to.toLowerCase()) && !deps.some((x) => x.from === from && x.to === to)) deps.push({ from, to, reason }); };
  for (const cs of compose.services.filter((s) => kept.has(s.key))) {
    for (const t of cs.dependsOn) add(cs.key, t, `depends_on in ${fname}`);
    for (const h of envHosts(cs.env)) add(cs.key, drafts.find((d) => d.key.toLowerCase() === h.host)?.key ?? h.host, `environment ${h.key} in ${fname} names ${h.host}`);
  }
  // A compose file that only starts databases for local development does not describe the app itself.
  return { drafts, authoritative: buildable > 0 };
}

function built(ctx: Ctx, cs: ComposeService, fname: string): NamedDraft | null {
  const dir = cs.build!.context;
  const df = cs.build!.dockerfile;
  const inferred = inferDir(ctx, dir);
  const ev = [`service "${cs.key}" in ${fname} builds ${display(dir)}`];
  let service: Service;
  if (ctx.tree.has(df)) {
    const info = parseDockerfile(ctx.text(df, 128 * 1024) ?? '', df);
    dockerfileRecs(ctx, info, dir);
    const inf = inferred?.runs ? inferred : null;
    // A service that overrides the command of a shared build with a worker-like process does not serve the EXPOSEd port.
    const workerish = /worker|celery|sidekiq|consumer|queue|jobs?\b|cron|scheduler/.test(`${cs.command ?? ''} ${cs.key}`);
    const worker = !cs.port && (workerish || (!info.port && inf?.type === 'worker'));
    const port = worker ? null : cs.port ?? info.port ?? inf?.port ?? null;
    if (info.port) ev.push(`EXPOSE ${info.port}`);
    if (inf) ev.push(...inf.evidence.slice(0, 3).map((e) => `inferred: ${e}`));
    const cmd = cs.command ?? info.cmd;
    service = {
      name: cs.key, path: display(dir), type: worker ? 'worker' : inf?.type === 'static' ? 'static' : 'web', runtime: 'docker', framework: inf?.framework ?? null,
      confidence: 0.97, evidence: ev, port, healthPath: worker ? null : cs.healthPath ?? info.healthPath ?? inf?.healthPath ?? null,
      processes: cmd ? { [worker ? 'worker' : 'web']: cmd } : {}, build: { strategy: 'dockerfile', dockerfile: df },
      resources: defaultResources('docker', worker ? 'worker' : 'web', inf?.memoryMb), env: cs.env,
    };
  } else {
    const det = detectDir(ctx, dir);
    // e.g. Laravel Sail builds from vendor/: a local-development stack, the app is found by folder discovery instead.
    if (!det?.runs) {
      ctx.rec('low', 'compose-dockerfile-missing', df, `Service "${cs.key}" in ${fname} builds with ${df}, which is not in the repository (or is in a dependency folder); it was ignored.`);
      return null;
    }
    ctx.rec('medium', 'compose-dockerfile-missing', df, `Service "${cs.key}" in ${fname} builds with ${df}, which is not in the repository; Kyozo generates a Dockerfile from the folder instead.`);
    service = { ...toService(ctx, dir, det, ev), name: cs.key, env: cs.env };
    if (cs.port) service.port = cs.port;
  }
  if (cs.memoryMb || cs.cpus) service.resources = { memoryMb: cs.memoryMb ?? service.resources.memoryMb, cpus: cs.cpus ?? service.resources.cpus };
  // Compose declares its dependencies; client libraries are not used to invent more.
  return { service, uses: [], localDeps: [], dir, hint: cs.key, key: cs.key };
}

function image(cs: ComposeService, fname: string): NamedDraft {
  const img = cs.image!;
  const b = backingService(img);
  const ev = [`service "${cs.key}" in ${fname} runs image ${img}`];
  if (b) ev.push(`${imageRepo(img)} is a ${b.runtime} ${b.type}`);
  const port = cs.port ?? b?.port ?? null;
  const service: Service = {
    name: cs.key, path: null, type: b?.type ?? (port ? 'web' : 'worker'), runtime: b?.runtime ?? 'docker', framework: null,
    confidence: b ? 0.97 : 0.9, evidence: ev, port, healthPath: cs.healthPath,
    processes: cs.command ? { [b || port ? 'web' : 'worker']: cs.command } : {}, build: { strategy: 'image', image: img },
    resources: { memoryMb: cs.memoryMb ?? b?.memoryMb ?? 256, cpus: cs.cpus ?? 0.5 }, env: cs.env,
    volumes: cs.volumes.length ? cs.volumes : b?.volume ? [b.volume] : [],
  };
  return { service, uses: [], localDeps: [], dir: null, hint: cs.key, key: cs.key };
}
