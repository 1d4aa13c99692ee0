// In-memory DockerPort for tests of deploy/monitor logic, with fault injection. No processes run:
// callers simulate crashes with exit(). Not used in production.
import { createHash } from 'node:crypto';
import type {
  ContainerCreateOptions,
  ContainerState,
  ContainerSummary,
  DockerPort,
  ImageSummary,
  NetworkSummary,
  VolumeSummary,
} from './port.ts';
import { LABEL } from './names.ts';

export interface FakeContainer {
  state: ContainerState;
  spec: ContainerCreateOptions;
  image: string;
  logs: string[];
  /** Timestamps of `logs` lines (filled when first read by logLines). */
  logTimes?: string[];
}

export type Fault = Error | 'hang';
type Method = keyof DockerPort;

export interface FakeDockerPort extends DockerPort {
  containers: Map<string, FakeContainer>;
  images: Map<string, ImageSummary>;
  /** By name. A container's volume Mounts create missing ones without labels, as Docker does. */
  volumes: Map<string, VolumeSummary>;
  /** By name; connectNetwork adds the container id to `containers`. */
  networks: Map<string, NetworkSummary & { containers: string[] }>;
  calls: { method: Method; args: unknown[] }[];
  /** The next `times` calls of `method` reject with `fault` (or never settle, for 'hang'). */
  fail(method: Method, fault: Fault, times?: number): void;
  /** Simulates a container process exiting. */
  exit(id: string, code: number, logLine?: string): void;
  /** Build behaviour: lines to emit and an optional Docker error text. Default: one step, success. */
  onBuild?: (tag: string) => { lines?: string[]; error?: string };
}

/** Same semantics as labelFilters: '' means "label present, any value". */
const matches = (have: Record<string, string>, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => (v === '' ? k in have : have[k] === v));

export function createFakeDockerPort(): FakeDockerPort {
  const faults = new Map<Method, { fault: Fault; times: number }>();
  let seq = 0;
  const nextId = (kind: string) => createHash('sha256').update(`${kind}${++seq}`).digest('hex');
  const find = (idOrName: string) =>
    [...fake.containers.values()].find(
      (c) => c.state.id === idOrName || c.state.id.startsWith(idOrName) || c.state.name === idOrName,
    );
  const findImage = (ref: string) =>
    fake.images.get(ref) ?? [...fake.images.values()].find((i) => i.tags.includes(ref));

  async function gate(method: Method, args: unknown[]): Promise<void> {
    fake.calls.push({ method, args });
    const f = faults.get(method);
    if (!f) return;
    if (--f.times <= 0) faults.delete(method);
    if (f.fault === 'hang') await new Promise(() => {});
    throw f.fault;
  }

  const fake: FakeDockerPort = {
    containers: new Map(),
    images: new Map(),
    volumes: new Map(),
    networks: new Map(),
    calls: [],
    fail(method, fault, times = 1) {
      faults.set(method, { fault, times });
    },
    exit(id, code, logLine) {
      const c = find(id);
      if (!c) return;
      if (logLine) c.logs.push(logLine);
      Object.assign(c.state, { running: false, exitCode: code, finishedAt: new Date().toISOString() });
    },
    async ping() {
      try {
        await gate('ping', []);
        return true;
      } catch {
        return false;
      }
    },
    async build(opts) {
      await gate('build', [opts]);
      const r = fake.onBuild?.(opts.tag) ?? {};
      for (const l of r.lines ?? [`Step 1/1 : FROM fake`]) opts.onLine(l);
      if (r.error) {
        opts.onLine(`ERROR: ${r.error}`);
        throw new Error(r.error);
      }
      const id = `sha256:${nextId('image')}`;
      for (const img of fake.images.values()) img.tags = img.tags.filter((t) => t !== opts.tag);
      fake.images.set(id, {
        id,
        tags: [opts.tag],
        labels: { ...opts.labels },
        created: Math.floor(Date.now() / 1000),
        size: 1,
      });
      return { imageId: id };
    },
    async run(spec) {
      await gate('run', [spec]);
      const image = spec.Image ?? '';
      if (!findImage(image))
        throw Object.assign(new Error(`docker create: No such image: ${image}`), { statusCode: 404 });
      const id = nextId('container');
      for (const m of spec.HostConfig?.Mounts ?? [])
        if (m.Type === 'volume' && m.Source && !fake.volumes.has(m.Source))
          fake.volumes.set(m.Source, { name: m.Source, labels: {} });
      const now = new Date().toISOString();
      const state: ContainerState = {
        id,
        name: spec.name ?? id.slice(0, 12),
        running: true,
        exitCode: null,
        startedAt: now,
        finishedAt: '',
        oomKilled: false,
        ip: spec.HostConfig?.NetworkMode === 'host' ? null : `172.30.0.${seq % 250}`,
        restartCount: 0,
        labels: { ...(spec.Labels ?? {}) },
      };
      fake.containers.set(id, { state, spec, image, logs: [] });
      return id;
    },
    async inspect(id) {
      await gate('inspect', [id]);
      const c = find(id);
      return c ? { ...c.state, labels: { ...c.state.labels } } : null;
    },
    async start(id) {
      await gate('start', [id]);
      const c = find(id);
      if (!c) throw Object.assign(new Error(`docker start: no such container ${id}`), { statusCode: 404 });
      c.state = { ...c.state, running: true, exitCode: null };
    },
    async stop(id, timeoutSec) {
      await gate('stop', [id, timeoutSec]);
      const c = find(id);
      if (c?.state.running) fake.exit(id, 143);
    },
    async remove(id) {
      await gate('remove', [id]);
      const c = find(id);
      if (c) fake.containers.delete(c.state.id);
    },
    async stopAndRemove(id, timeoutSec) {
      await fake.stop(id, timeoutSec);
      await fake.remove(id);
    },
    async list(labels) {
      await gate('list', [labels]);
      return [...fake.containers.values()]
        .filter((c) => matches(c.state.labels, labels))
        .map((c): ContainerSummary => ({
          id: c.state.id,
          name: c.state.name,
          image: c.image,
          labels: { ...c.state.labels },
          state: c.state.running ? 'running' : 'exited',
          status: c.state.running ? 'Up' : `Exited (${c.state.exitCode})`,
          created: 0,
        }));
    },
    async removeImage(ref) {
      await gate('removeImage', [ref]);
      const img = findImage(ref);
      if (!img) return true;
      if ([...fake.containers.values()].some((c) => findImage(c.image) === img)) return false;
      fake.images.delete(img.id);
      return true;
    },
    async pull(ref) {
      await gate('pull', [ref]);
      if (!findImage(ref))
        throw Object.assign(new Error(`docker pull ${ref}: pull access denied for ${ref}, repository does not exist`), {
          statusCode: 404,
        });
    },
    async imageExists(ref) {
      await gate('imageExists', [ref]);
      return !!findImage(ref);
    },
    async imageFacts(ref) {
      await gate('imageFacts', [ref]);
      const img = findImage(ref);
      if (!img) return null;
      // Images Kyozo built (kyozo.app label) have no registry digest; the fake treats the rest as pulled.
      const built = img.labels[LABEL.app] !== undefined;
      return { labels: img.labels, repoDigests: built ? [] : [`${img.tags[0] ?? img.id}@sha256:fake`] };
    },
    async listImages(labels) {
      await gate('listImages', [labels]);
      return [...fake.images.values()].filter((i) => matches(i.labels, labels));
    },
    async ensureNetwork(name, labels = {}) {
      await gate('ensureNetwork', [name, labels]);
      if (!fake.networks.has(name))
        fake.networks.set(name, { id: `net-${name}`, name, labels: { ...labels }, containers: [] });
      return `net-${name}`;
    },
    async connectNetwork(network, containerId, aliases) {
      await gate('connectNetwork', [network, containerId, aliases]);
      const n = fake.networks.get(network);
      if (!n)
        throw Object.assign(new Error(`docker connect network: network ${network} not found`), { statusCode: 404 });
      if (!n.containers.includes(containerId)) n.containers.push(containerId);
    },
    async listNetworks(labels) {
      await gate('listNetworks', [labels]);
      return [...fake.networks.values()]
        .filter((n) => matches(n.labels, labels))
        .map(({ id, name, labels: l }) => ({ id, name, labels: { ...l } }));
    },
    async removeNetwork(name) {
      await gate('removeNetwork', [name]);
      fake.networks.delete(name);
    },
    async createVolume(name, labels) {
      await gate('createVolume', [name, labels]);
      if (!fake.volumes.has(name)) fake.volumes.set(name, { name, labels: { ...labels } });
    },
    async inspectVolume(name) {
      await gate('inspectVolume', [name]);
      const v = fake.volumes.get(name);
      return v ? { name: v.name, labels: { ...v.labels } } : null;
    },
    async listVolumes(labels) {
      await gate('listVolumes', [labels]);
      return [...fake.volumes.values()].filter((v) => matches(v.labels, labels)).map((v) => ({ ...v }));
    },
    async removeVolume(name) {
      await gate('removeVolume', [name]);
      const used = [...fake.containers.values()].some((c) =>
        (c.spec.HostConfig?.Mounts ?? []).some((m) => m.Source === name),
      );
      if (used) return false;
      fake.volumes.delete(name);
      return true;
    },
    async joinOwnNetworks() {
      await gate('joinOwnNetworks', []);
      return 0;
    },
    async logs(id, opts = {}) {
      await gate('logs', [id, opts]);
      const lines = find(id)?.logs ?? [];
      return lines
        .slice(-(opts.tail ?? 100))
        .map((l) => l + '\n')
        .join('');
    },
    async logLines(id, opts = {}) {
      await gate('logLines', [id, opts]);
      const c = find(id);
      if (!c) return [];
      c.logTimes ??= [];
      while (c.logTimes.length < c.logs.length) c.logTimes.push(new Date().toISOString().replace('Z', '000000Z'));
      const since = opts.since ?? 0;
      return c.logs
        .map((line, i) => ({ at: c.logTimes![i], stream: 'stdout' as const, line }))
        .filter((l) => Date.parse(l.at) / 1000 > since)
        .slice(-(opts.tail ?? 1000));
    },
    async stats(id, opts) {
      await gate('stats', [id, opts]);
      const c = find(id);
      return c?.state.running
        ? { cpuPercent: opts?.oneShot ? null : 0, memoryBytes: 1 << 20, memoryLimitBytes: 1 << 28, pids: 1 }
        : null;
    },
  };
  return fake;
}
