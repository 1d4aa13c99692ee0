// Source → services for a push release: export the commit, analyze it, build every service.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze } from '../analysis/index.ts';
import type { Service, Topology } from '../analysis/types.ts';
import { buildService } from '../build/run.ts';
import { setReleaseAnalysis } from '../db/releases.ts';
import type { NewReleaseService } from '../db/releases.ts';
import { exportCommit } from '../git/export.ts';
import { repoPath } from '../git/repos.ts';
import { choosePrimary } from '../runtime/routing.ts';
import { snapshotFromDir } from '../snapshot/fs.ts';
import type { JobDeps } from './deps.ts';

const pct = (c: number) => `${Math.round(c * 100)}%`;

export function describeTopology(t: Topology, log: (l: string) => void) {
  log(`-----> Detected ${t.services.length} service${t.services.length === 1 ? '' : 's'} (${t.stats.files} files, ${t.stats.durationMs} ms)`);
  for (const s of t.services) {
    const kind = [s.runtime, s.framework].filter(Boolean).join('/');
    log(`       ${s.name} (${s.path ?? 'image'}): ${s.type}, ${kind}, confidence ${pct(s.confidence)}${s.port ? `, port ${s.port}` : ''}`);
    for (const e of s.evidence) log(`         - ${e}`);
  }
  for (const d of t.dependencies) log(`       ${d.from} → ${d.to} (${d.reason})`);
  for (const r of t.recommendations.filter((r) => r.severity !== 'low')) log(`       [${r.severity}] ${r.code}${r.path ? ` (${r.path})` : ''}: ${r.message}`);
}

export async function preparePush(
  deps: JobDeps, input: { app: string; releaseId: number; version: number; commit: string }, log: (l: string) => void,
): Promise<NewReleaseService[]> {
  const srcDir = join(deps.buildsDir, input.app, `v${input.version}`);
  await rm(srcDir, { recursive: true, force: true });
  await mkdir(srcDir, { recursive: true });
  try {
    log(`-----> Exporting commit ${input.commit.slice(0, 12)}`);
    await exportCommit(repoPath(deps.reposDir, input.app), input.commit, srcDir);
    const topology = analyze(snapshotFromDir(srcDir), { images: deps.config.images });
    await setReleaseAnalysis(deps.db, input.releaseId, topology);
    describeTopology(topology, log);
    const buildable = topology.services.filter((s) => s.build.strategy !== 'image');
    for (const s of topology.services.filter((s) => s.build.strategy === 'image')) log(`       ${s.name}: image ${s.build.image} (backing service)`);
    if (buildable.length === 0) {
      const why = topology.recommendations.find((r) => r.severity === 'high')?.message
        ?? 'Kyozo looked for a Dockerfile, docker-compose.yml, package.json, requirements.txt/pyproject.toml, go.mod, Gemfile, composer.json, Cargo.toml, a Procfile and index.html';
      throw new Error(`nothing deployable found. ${why}`);
    }
    const primary = choosePrimary(buildable);
    const out: NewReleaseService[] = [];
    for (const s of buildable) {
      const { image, imageId } = await buildService({ docker: deps.docker, config: deps.config, log }, { app: input.app, release: input.version, service: s, srcDir })
        .catch((e: Error) => { throw new Error(`service ${s.name} failed to build: ${e.message}`); });
      out.push(serviceRow(s, image, imageId, s.name === primary));
    }
    return out;
  } finally {
    await rm(srcDir, { recursive: true, force: true }).catch(() => {});
  }
}

function serviceRow(s: Service, image: string, imageId: string, primary: boolean): NewReleaseService {
  const routed = s.type === 'web' || s.type === 'static';
  return {
    name: s.name, type: s.type, image, imageId, port: s.port, healthPath: s.healthPath, replicas: 1,
    memoryMb: s.resources.memoryMb, cpus: String(s.resources.cpus), routed, primary,
  };
}
