// Source → service specs for a push release: export the commit, apply kyozo.json, analyze and plan the
// builds (once: the source hash, the build and the saved analysis use the same plan), then build every
// service whose source changed (in parallel) and reuse the images of those that did not.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toContractJson } from '../analysis/index.ts';
import type { Service, Topology } from '../analysis/types.ts';
import type { BuildPlan, BuildPlans } from '../build/plan.ts';
import { buildService } from '../build/run.ts';
import { analyzeAndPlan } from '../build/topology.ts';
import { setReleaseAnalysis } from '../db/releases.ts';
import type { AppSettings } from '../db/schema.ts';
import { exportCommit } from '../git/export.ts';
import { repoPath } from '../git/repos.ts';
import { treeIds } from '../git/tree.ts';
import { checkOverrideNames, excludePaths, parseKyozoJson } from '../release/kyozoJson.ts';
import * as say from '../release/messages.ts';
import { specFromAnalysis, type ServiceSpec } from '../release/spec.ts';
import { choosePrimary } from '../runtime/routing.ts';
import { snapshotFromDir } from '../snapshot/fs.ts';
import type { JobDeps } from './deps.ts';

export interface PushInput {
  app: string;
  /** The app's uid: its images are named and labelled from it. */
  uid: string;
  releaseId: number;
  version: number;
  commit: string;
  settings: AppSettings;
}

export async function preparePush(
  deps: JobDeps,
  input: PushInput,
  previous: ServiceSpec[],
  log: (l: string) => void,
): Promise<{ specs: ServiceSpec[]; topology: Topology }> {
  const srcDir = join(deps.buildsDir, input.app, `v${input.version}`);
  await rm(srcDir, { recursive: true, force: true });
  await mkdir(srcDir, { recursive: true });
  try {
    log(say.exportingCommit(input.commit));
    const repo = repoPath(deps.reposDir, input.app);
    await exportCommit(repo, input.commit, srcDir);
    const kyozoJson = parseKyozoJson(readOptional(join(srcDir, 'kyozo.json')));
    const snapshot = snapshotFromDir(srcDir);
    snapshot.paths = excludePaths(snapshot.paths, kyozoJson?.exclude);
    const { topology, plans } = analyzeAndPlan(snapshot, { images: deps.config.images });
    await setReleaseAnalysis(deps.db, input.releaseId, toContractJson(topology));
    for (const line of say.topologyLines(topology)) log(line);
    if (topology.services.length === 0) throw new Error(say.nothingDeployable(topology));
    if (kyozoJson)
      checkOverrideNames(
        kyozoJson,
        topology.services.map((s) => s.name),
      );
    const primary = choosePrimary(topology.services, kyozoJson?.primary ?? input.settings.primary);
    const trees = await treeIds(
      repo,
      input.commit,
      topology.services.flatMap((s) => (s.path ? [s.path] : [])),
    );
    const prevByName = new Map(previous.map((p) => [p.name, p]));
    const build = async (s: Service): Promise<ServiceSpec> => {
      const built =
        s.build.strategy === 'image'
          ? {
              image: s.build.image!,
              imageId: null,
              sourceHash: hash(['image', s.build.image, s.processes, s.env, s.volumes]),
            }
          : await buildOrReuse(deps, input, s, planOf(plans, s), trees, prevByName.get(s.name), srcDir, log);
      return specFromAnalysis(
        s,
        kyozoJson?.services?.[s.name],
        built,
        s.name === primary,
        input.settings.formation?.[s.name],
      );
    };
    const specs = await pool(topology.services, 2, build);
    return { specs, topology };
  } finally {
    await rm(srcDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** The service's plan from the one planning pass; a service without one fails here, at its build. */
function planOf(plans: BuildPlans, s: Service): BuildPlan {
  const plan = plans.get(s.name);
  if (!plan) throw new Error(`service ${s.name} has no build plan`);
  if (plan.kind === 'none') throw new Error(plan.reason);
  return plan;
}

async function buildOrReuse(
  deps: JobDeps,
  input: PushInput,
  s: Service,
  plan: BuildPlan,
  trees: Record<string, string | null>,
  prev: ServiceSpec | undefined,
  srcDir: string,
  log: (l: string) => void,
) {
  const sourceHash = hash(['build', trees[s.path!] ?? input.commit, JSON.stringify(plan)]);
  if (prev && prev.sourceHash === sourceHash && (await deps.docker.imageExists(prev.imageId ?? prev.image))) {
    log(say.sourceUnchanged(s.name, prev.image));
    return { image: prev.image, imageId: prev.imageId, sourceHash };
  }
  const { image, imageId } = await buildService(
    { docker: deps.docker, config: deps.config, log },
    {
      app: { uid: input.uid, name: input.app },
      instance: deps.instance,
      release: input.version,
      service: s,
      plan,
      srcDir,
    },
  ).catch((e: Error) => {
    throw new Error(say.failedToBuild(s.name, e.message));
  });
  return { image, imageId, sourceHash };
}

const hash = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Runs `fn` over items with at most `n` at a time; keeps order; the first failure rejects after the rest settle. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failure) throw failure;
  return out;
}
