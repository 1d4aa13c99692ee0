// Release-log wording (pure): every line a release writes to its log (what `git push`, the console and
// `kyozo releases:log` show), the failure reasons the deploy gives, and the post-receive hook's one-line
// answers. "-----> " starts a phase, seven spaces a detail, "! " a failure: server/console/logFilter.ts reads
// the "-----> NAME: ..." headers and the "! " prefix back, so change them together.
import type { IgnoredOption, Topology } from '../analysis/types.ts';

const phase = (s: string) => `-----> ${s}`;
const detail = (s: string) => `       ${s}`;
const count = (n: number, thing: string) => `${n} ${thing}${n === 1 ? '' : 's'}`;
const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

// The post-receive hook's answers (before a release exists).
export const refDeleted = (what: string, name: string, deploys: boolean) =>
  `${what} ${name} deleted${deploys ? '; the running release is unchanged' : ''}.`;
export const refStored = (what: string, name: string) => `${what} ${name} stored; only main/master deploy.`;
export const pushQueued = (app: string, version: number, commit: string) =>
  `Kyozo: ${app} v${version} queued for ${commit.slice(0, 12)}`;
export const appGone = (app: string) => `! app ${app} no longer exists`;

// Phases, in the order a release runs them.
export function releaseKind(r: { kind: string; commit: string | null; baseVersion: number | null }): string {
  if (r.kind === 'push') return `push of ${r.commit?.slice(0, 12)}`;
  if (r.kind === 'rollback') return `rollback to v${r.baseVersion}`;
  if (r.kind === 'config') return `config change on v${r.baseVersion}`;
  return `restart of v${r.baseVersion}`;
}
export const releaseStarted = (version: number, app: string, kind: string) =>
  phase(`Release v${version} of ${app} (${kind})`);
export const exportingCommit = (commit: string) => phase(`Exporting commit ${commit.slice(0, 12)}`);

const pct = (c: number) => `${Math.round(c * 100)}%`;
/**
 * A compose option the service deploys without (analysis `ignoredOptions`), under its service. A dropped one
 * says "warning:" (the console counts it as a warning), not "! ": the release goes on without it.
 */
export const ignoredOptionLine = (service: string, o: IgnoredOption) =>
  detail(`${service}: ${o.action === 'dropped' ? 'warning: ' : ''}${o.option}: ${o.value} ${o.action} (${o.reason})`);
/** Said per option under each service (ignoredOptionLine), so not again as a recommendation line. */
const SAID_PER_SERVICE = new Set(['compose-option-ignored']);

/** The analysis: services with confidence, evidence and ignored compose options, dependencies, recommendations above "low". */
export function topologyLines(t: Topology): string[] {
  const out = [
    phase(`Detected ${count(t.services.length, 'service')} (${t.stats.files} files, ${t.stats.durationMs} ms)`),
  ];
  for (const s of t.services) {
    const kind = [s.runtime, s.framework].filter(Boolean).join('/');
    out.push(
      detail(
        `${s.name} (${s.path ?? s.build.image ?? 'image'}): ${s.type}, ${kind}, confidence ${pct(s.confidence)}${s.port ? `, port ${s.port}` : ''}`,
      ),
    );
    for (const e of s.evidence) out.push(`         - ${e}`);
    for (const o of s.ignoredOptions ?? []) out.push(ignoredOptionLine(s.name, o));
  }
  for (const d of t.dependencies) out.push(detail(`${d.from} → ${d.to} (${d.reason})`));
  for (const r of t.recommendations.filter((r) => r.severity !== 'low' && !SAID_PER_SERVICE.has(r.code)))
    out.push(detail(`[${r.severity}] ${r.code}${r.path ? ` (${r.path})` : ''}: ${r.message}`));
  return out;
}

export const sourceUnchanged = (service: string, image: string) =>
  phase(`${service}: source unchanged, reusing ${image}`);
export const buildingGenerated = (service: string, runtime: string, framework: string | null) =>
  phase(`${service}: building with a generated Dockerfile (${runtime}${framework ? `/${framework}` : ''})`);
export const buildingDockerfile = (service: string, context: string, dockerfile: string) =>
  phase(`${service}: building with ${context === '.' ? '' : context + '/'}${dockerfile}`);
/** A line of Docker's build or pull output. */
export const dockerOutput = (line: string) => detail(line);
export const builtImage = (service: string, image: string, imageId: string) =>
  detail(`${service}: image ${image} (${short(imageId)})`);
/** Config, rollback, scale and restart releases run the images of an earlier release. */
export const reusedImage = (service: string, image: string) => detail(`${service}: ${image}`);
export const startOrder = (layers: string[][]) => phase(`Start order: ${layers.map((l) => l.join(', ')).join(' → ')}`);

export const pulling = (service: string, image: string) => phase(`${service}: pulling ${image}`);
export const keeping = (service: string, n: number) =>
  phase(`${service}: unchanged, keeping ${count(n, 'running replica')}`);
export const replacingBacking = (service: string) =>
  phase(`${service}: definition changed, replacing the backing service (brief interruption)`);
export const startedReplica = (service: string, index: number, containerId: string, host: string, port: number) =>
  phase(`Started ${service}#${index} (${short(containerId)}) on ${host}:${port}`);
export const healthChecks = (services: string[]) => phase(`Health checks: ${services.join(', ')}`);
export const acceptingConnections = (service: string, index: number, host: string, port: number) =>
  detail(`${service}#${index} accepting connections on ${host}:${port}`);
export const healthy = (service: string, index: number, path: string, status: number, ms: number) =>
  detail(`${service}#${index} healthy: GET ${path} → ${status} after ${ms} ms`);

export const switchingRoutes = (version: number) => phase(`Switching routes to v${version}`);
/** Final line of a successful release stream. */
export const releaseLiveLine = (version: number, url: string) => `Release v${version} is live at ${url}`;
export const stoppedOld = (n: number, version: number, app: string) =>
  phase(`Stopped ${count(n, 'replica')} of v${version} (${app})`);

// Failures.
/** Final line of a failed release stream; newlines in the reason are flattened. */
export function releaseFailedLine(version: number, reason: string, stillLive: number | null = null): string {
  const full = `${reason}${stillLive !== null ? ` — v${stillLive} is still live` : ''}`;
  return `! Release v${version} failed: ${full.replace(/\s*\n\s*/g, ' ').trim()}`;
}
export const backingPutBack = (containerId: string) =>
  phase(`put back backing container ${short(containerId)} of the previous release`);
export const backingNotPutBack = (containerId: string, error: string) =>
  phase(`could not restart backing container ${short(containerId)}: ${error}`);
/** The release waits for Docker and is retried: the reason as a phase line. */
export const waitingForDocker = (reason: string) => phase(reason);
export const DOCKER_UNREACHABLE = 'Docker engine is unreachable; the deploy will be retried';
export const dockerUnavailable = (reason: string) => `Docker engine unavailable, the deploy will be retried: ${reason}`;

export const PUSH_WITHOUT_COMMIT = 'push release without a commit';
export const noSuchRelease = (version: number | null) => `release v${version} does not exist`;
export const nothingToReuse = (version: number) => `release v${version} has no services to reuse`;
export const imageGone = (image: string, version: number, service: string) =>
  `image ${image} of v${version} (service ${service}) is no longer on this machine`;

/** No service found: the most severe recommendation says why, else what Kyozo looked for. */
export function nothingDeployable(t: Topology): string {
  const why =
    t.recommendations.find((r) => r.severity === 'high')?.message ??
    t.recommendations[0]?.message ??
    'Kyozo looked for a Dockerfile, docker-compose.yml, package.json, requirements.txt/pyproject.toml, go.mod, Gemfile, composer.json, Cargo.toml, a Procfile and index.html';
  return `nothing deployable found. ${why}`;
}
export const failedToBuild = (service: string, reason: string) => `service ${service} failed to build: ${reason}`;
export const contextOutside = (service: string, context: string) =>
  `service ${service}: build context ${context} is outside the repository`;
export const imageNotHereNoPull = (service: string, image: string) =>
  `service ${service}: image ${image} is not on this machine and pulling is off (KYOZO_PULL_IMAGES=false); run "docker pull ${image}" on the host (or use a local image) and push again`;
export const imageNotPulled = (service: string, image: string, reason: string) =>
  `service ${service}: image ${image} is not on this machine and could not be pulled (${reason.replace(/^docker pull \S+: /, '')}); check the name, or run "docker pull ${image}" on the host and push again`;

/** A new replica that never became healthy: `what` it did, and why (its exit and last output, or the deadline). */
export const replicaFailed = (service: string, what: string, why: string) => `service ${service} ${what}: ${why}`;
export const STOPPED_AFTER_START = 'stopped right after starting';
export const notAccepting = (host: string, port: number) => `did not accept connections on ${host}:${port}`;
export const NO_ANSWER = 'no answer before the deadline';
export const healthCheckFailed = (service: string, url: string, why: string) =>
  `service ${service} failed its health check (${url}): ${why}`;
export function containerExited(code: number | null, lastOutput: string): string {
  const tail = lastOutput.trim();
  const lines = tail
    ? `; last output:\n${tail
        .split('\n')
        .map((l) => `         ${l}`)
        .join('\n')}`
    : '';
  return `container exited with code ${code ?? 'unknown'}${lines}`;
}
