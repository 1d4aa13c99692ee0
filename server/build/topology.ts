// The analysis with its build plans (pure): analyze() a snapshot, plan every built service once, and show
// each generated service with the Dockerfile its build will use. The deploy job keeps the plans for the
// source hash and the build; `kyozo analyze` and the console show the topology.
import { analyze } from '../analysis/index.ts';
import type { Snapshot, Topology } from '../analysis/types.ts';
import { DEFAULT_IMAGES } from './images.ts';
import { planBuilds, type BuildPlans } from './plan.ts';
import type { PlanImages } from './images.ts';

export interface PlannedTopology {
  topology: Topology;
  plans: BuildPlans;
}

export interface AnalyzeAndPlanOptions {
  /** Base images for generated Dockerfiles (config.images); defaults to DEFAULT_IMAGES. */
  images?: PlanImages;
  /** Name for a root service whose manifest declares none (e.g. the app or folder name). */
  name?: string;
}

export function analyzeAndPlan(snapshot: Snapshot, options: AnalyzeAndPlanOptions = {}): PlannedTopology {
  const t0 = performance.now();
  const analyzed = analyze(snapshot, { name: options.name });
  const plans = planBuilds(analyzed.services, options.images ?? DEFAULT_IMAGES);
  const topology = withPlans(analyzed, plans);
  topology.stats = { ...topology.stats, durationMs: Math.round((performance.now() - t0) * 10) / 10 };
  return { topology, plans };
}

const SEVERITY = { high: 0, medium: 1, low: 2 };

/** Generated services carry their Dockerfile text; one with no plan gets a no-build-plan recommendation. */
export function withPlans(t: Topology, plans: BuildPlans): Topology {
  const recommendations = [...t.recommendations];
  const services = t.services.map((s) => {
    const plan = plans.get(s.name);
    if (s.build.strategy !== 'generated' || !s.plan || !plan) return s;
    if (plan.kind === 'generated') return { ...s, build: { ...s.build, dockerfile: plan.dockerfileText } };
    if (plan.kind === 'none')
      recommendations.push({
        severity: 'medium',
        code: 'no-build-plan',
        path: s.path,
        message: `${s.name}: ${plan.reason}`,
      });
    return s;
  });
  recommendations.sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity]);
  return { ...t, services, recommendations };
}
