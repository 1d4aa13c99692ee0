// analyze(): a snapshot of a folder in, the topology out — services, how sure and why, dependencies, risks.
// Pure: no fs, Docker or database; the same code reads a folder on disk, a git commit or an upload.
import { Ctx } from './context.ts';
import { composeServices } from './from-compose.ts';
import { discover } from './discover.ts';
import { defaultResources } from './images.ts';
import { inferLinks, type Draft } from './links.ts';
import { uniqueNames } from './names.ts';
import { generalRecs } from './recommend.ts';
import { scanSecrets } from './secrets.ts';
import type { Dependency, Snapshot, Topology } from './types.ts';

export type { Snapshot, Topology, Service, Dependency, Recommendation, PlanFacts, IgnoredOption } from './types.ts';

export interface AnalyzeOptions {
  /** Name for a root service whose manifest declares none (e.g. the app or folder name). */
  name?: string;
}

/**
 * Generated services come out with their plan facts only: the Dockerfile text is the build step's
 * (server/build/topology.ts analyzeAndPlan shows it), so analysis imports nothing outside itself.
 */
export function analyze(snapshot: Snapshot, options: AnalyzeOptions = {}): Topology {
  const t0 = performance.now();
  const ctx = new Ctx(snapshot);
  const deps: Dependency[] = [];
  scanSecrets(ctx);
  const fromCompose = composeServices(ctx, deps);
  const drafts: (Draft & { hint: string; parent?: string; key?: string })[] = [...fromCompose.drafts];
  if (!fromCompose.authoritative) drafts.push(...discover(ctx, options.name));
  // Unique DNS labels; compose keys first so their names (used in URLs) stay as written.
  const names = uniqueNames(drafts.map((d) => ({ hint: d.hint, parent: d.parent })));
  const rename = new Map<string, string>();
  drafts.forEach((d, i) => {
    if (d.key) rename.set(d.key, names[i]);
    d.service.name = names[i];
  });
  for (const d of deps) {
    d.from = rename.get(d.from) ?? d.from;
    d.to = rename.get(d.to) ?? d.to;
  }
  for (const { service: s } of drafts) if (!s.resources.memoryMb) s.resources = defaultResources(s.runtime, s.type);
  inferLinks(ctx, drafts, deps);
  const services = drafts.map((d) => d.service);
  generalRecs(ctx, services, snapshot);
  const order = { high: 0, medium: 1, low: 2 };
  ctx.recs.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    services,
    dependencies: deps,
    recommendations: ctx.recs,
    stats: { files: ctx.tree.count, durationMs: Math.round((performance.now() - t0) * 10) / 10 },
  };
}

/** The topology in the exact JSON contract shape (internal plan facts dropped). */
export function toContractJson(t: Topology): Topology {
  return { ...t, services: t.services.map(({ plan: _plan, ...s }) => s) };
}
