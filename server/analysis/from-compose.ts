// Compose services → drafts: build contexts become built services (enriched by inference), images become
// backing services or image-only services; depends_on and URLs in environment become dependencies.
import type { Ctx } from './context.ts';
import { composeOptions, envHosts, findCompose, readCompose, type ComposeService } from './compose.ts';
import { detectDir, inferDir } from './detect.ts';
import { toService } from './discover.ts';
import { parseDockerfile, dockerfileRecs } from './dockerfile.ts';
import { backingService, defaultResources, imageRepo, isReverseProxy, webImagePort } from './images.ts';
import type { Draft } from './links.ts';
import type { Dependency, IgnoredOption, Service } from './types.ts';
import { basename, display } from './tree.ts';

type NamedDraft = Draft & { hint: string; key: string };

export function composeServices(ctx: Ctx, deps: Dependency[]): { drafts: NamedDraft[]; authoritative: boolean } {
  const file = findCompose(ctx);
  const compose = file ? readCompose(ctx, file) : null;
  if (!file || !compose) return { drafts: [], authoritative: false };
  const fname = basename(file);
  const drafts: NamedDraft[] = [];
  let buildable = 0;
  const builtKeys = new Set(compose.services.filter((s) => s.build).map((s) => s.key));
  const jobs = new Set(compose.services.flatMap((s) => s.waitsFor));
  const releases = new Map<string, string>();
  for (const cs of compose.services) {
    if (cs.profiles.length) {
      ctx.rec(
        'low',
        'compose-profile-skipped',
        file,
        `Service "${cs.key}" in ${fname} only starts with --profile ${cs.profiles.join('/')}; it was not deployed.`,
      );
      continue;
    }
    // A one-shot job (migrations, seeding) another service waits for: the release step of the service built from the same image.
    const owner =
      jobs.has(cs.key) && cs.build && cs.command
        ? compose.services.find(
            (o) => o !== cs && o.waitsFor.includes(cs.key) && o.build?.dockerfile === cs.build!.dockerfile,
          )
        : undefined;
    if (owner) {
      releases.set(owner.key, cs.command!);
      continue;
    }
    // A reverse proxy in front of the built services (with its config mounted from the repo): Kyozo's router takes its place.
    if (
      !cs.build &&
      cs.image &&
      isReverseProxy(cs.image) &&
      (cs.bindMounts.length > 0 || cs.dependsOn.some((d) => builtKeys.has(d)))
    ) {
      ctx.rec(
        'low',
        'compose-proxy-skipped',
        file,
        `Service "${cs.key}" in ${fname} is a reverse proxy (${cs.image}) in front of the app; Kyozo's router routes to the services directly, so it was not deployed (move custom routing or headers into the app).`,
      );
      continue;
    }
    const d = cs.build ? built(ctx, cs, fname, jobs.has(cs.key)) : cs.image ? image(cs, fname) : null;
    if (d) drafts.push(d);
    if (d) unhonoured(ctx, file, fname, cs, d.service);
    if (d && cs.build) buildable++;
  }
  for (const d of drafts) {
    const r = releases.get(d.key);
    if (r) {
      d.service.processes = { release: r, ...d.service.processes };
      d.service.evidence.push(`runs ${r} before starting (a one-shot service it waits for in ${fname})`);
    }
  }
  // Only services that were kept (buildable or image) take part in dependencies.
  const kept = new Set(drafts.map((d) => d.key));
  const keys = new Set(drafts.map((d) => d.key.toLowerCase()));
  const add = (from: string, to: string, reason: string) => {
    if (from !== to && keys.has(to.toLowerCase()) && !deps.some((x) => x.from === from && x.to === to))
      deps.push({ from, to, reason });
  };
  for (const cs of compose.services.filter((s) => kept.has(s.key))) {
    for (const t of cs.dependsOn) add(cs.key, t, `depends_on in ${fname}`);
    for (const h of envHosts(cs.env))
      add(
        cs.key,
        drafts.find((d) => d.key.toLowerCase() === h.host)?.key ?? h.host,
        `environment ${h.key} in ${fname} names ${h.host}`,
      );
  }
  // A compose file that only starts databases for local development does not describe the app itself.
  return { drafts, authoritative: buildable > 0 };
}

const BACKING = new Set(['database', 'cache', 'queue']);

/** Options of the service Kyozo does not honour: on the service, and one recommendation that names them. */
function unhonoured(ctx: Ctx, file: string, fname: string, cs: ComposeService, service: Service): void {
  const backing = BACKING.has(service.type);
  // The runtime mounts a Kyozo volume at each of a backing service's `volumes`, and none for other services.
  const options = composeOptions(cs, backing ? (service.volumes ?? []) : [], backing);
  if (!options.length) return;
  service.ignoredOptions = options;
  // One clause per option and reason: `ignored ports: 5432:5432, 127.0.0.1:6379:6379 (Kyozo publishes no host ports...)`.
  const clauses = new Map<string, { head: string; reason: string; values: string[] }>();
  for (const o of options) {
    const key = JSON.stringify([o.action, o.option, o.reason]);
    const c = clauses.get(key) ?? { head: `${o.action} ${o.option}`, reason: o.reason, values: [] };
    c.values.push(o.value);
    clauses.set(key, c);
  }
  const said = [...clauses.values()].map((c) => `${c.head}: ${c.values.join(', ')} (${c.reason})`);
  // Pushed as is: Ctx.rec keeps one recommendation per code and file, and this one is per service.
  ctx.recs.push({
    severity: options.some((o) => o.action === 'dropped') ? 'high' : 'low',
    code: 'compose-option-ignored',
    path: file,
    message: `Service "${cs.key}" in ${fname} deploys without these options: ${said.join('; ')}.`,
  });
}

function built(ctx: Ctx, cs: ComposeService, fname: string, job = false): NamedDraft | null {
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
    const workerish = /worker|celery|sidekiq|consumer|queue|jobs?\b|cron|scheduler/.test(
      `${cs.command ?? ''} ${cs.key}`,
    );
    const worker = !cs.port && (job || workerish || (!info.port && inf?.type === 'worker'));
    const port = worker ? null : (cs.port ?? info.port ?? inf?.port ?? null);
    if (info.port) ev.push(`EXPOSE ${info.port}`);
    if (inf) ev.push(...inf.evidence.slice(0, 3).map((e) => `inferred: ${e}`));
    const cmd = cs.command ?? info.cmd;
    service = {
      name: cs.key,
      path: display(dir),
      type: worker ? 'worker' : inf?.type === 'static' ? 'static' : 'web',
      runtime: 'docker',
      framework: inf?.framework ?? null,
      confidence: 0.97,
      evidence: ev,
      port,
      healthPath: worker ? null : (cs.healthPath ?? info.healthPath ?? inf?.healthPath ?? null),
      processes: cmd ? { [worker ? 'worker' : 'web']: cmd } : {},
      build: { strategy: 'dockerfile', dockerfile: df },
      resources: defaultResources('docker', worker ? 'worker' : 'web', inf?.memoryMb),
      env: cs.env,
    };
  } else {
    const det = detectDir(ctx, dir);
    // e.g. Laravel Sail builds from vendor/: a local-development stack, the app is found by folder discovery instead.
    if (!det?.runs) {
      ctx.rec(
        'low',
        'compose-dockerfile-missing',
        df,
        `Service "${cs.key}" in ${fname} builds with ${df}, which is not in the repository (or is in a dependency folder); it was ignored.`,
      );
      return null;
    }
    ctx.rec(
      'medium',
      'compose-dockerfile-missing',
      df,
      `Service "${cs.key}" in ${fname} builds with ${df}, which is not in the repository; Kyozo generates a Dockerfile from the folder instead.`,
    );
    service = { ...toService(ctx, dir, det, ev), name: cs.key, env: cs.env };
    if (cs.port) service.port = cs.port;
  }
  if (cs.memoryMb || cs.cpus)
    service.resources = {
      memoryMb: cs.memoryMb ?? service.resources.memoryMb,
      cpus: cs.cpus ?? service.resources.cpus,
    };
  // Compose declares its dependencies; client libraries are not used to invent more.
  return { service, uses: [], localDeps: [], dir, hint: cs.key, key: cs.key };
}

function image(cs: ComposeService, fname: string): NamedDraft {
  const img = cs.image!;
  const b = backingService(img);
  const ev = [`service "${cs.key}" in ${fname} runs image ${img}`];
  if (b) ev.push(`${imageRepo(img)} is a ${b.runtime} ${b.type}`);
  const port = (b && cs.ports.includes(b.port) ? b.port : cs.port) ?? b?.port ?? webImagePort(img);
  const service: Service = {
    name: cs.key,
    path: null,
    type: b?.type ?? (port ? 'web' : 'worker'),
    runtime: b?.runtime ?? 'docker',
    framework: null,
    confidence: b ? 0.97 : 0.9,
    evidence: ev,
    port,
    healthPath: cs.healthPath,
    processes: cs.command ? { [b || port ? 'web' : 'worker']: cs.command } : {},
    ...(cs.commandArgs ? { command: cs.commandArgs } : {}),
    build: { strategy: 'image', image: img },
    resources: { memoryMb: cs.memoryMb ?? b?.memoryMb ?? 256, cpus: cs.cpus ?? 0.5 },
    env: cs.env,
    volumes: cs.volumes.length ? cs.volumes : b?.volume ? [b.volume] : [],
  };
  return { service, uses: [], localDeps: [], dir: null, hint: cs.key, key: cs.key };
}
