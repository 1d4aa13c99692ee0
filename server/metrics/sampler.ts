// Samples many containers cheaply: cgroup files when visible, else Docker's one-shot stats (no 1 s
// two-sample wait), in parallel with a bound. CPU% comes from two successive samples kept in memory
// (one-shot stats and cgroup counters are cumulative, there is no precpu).
import type { ContainerStats, DockerPort } from '../runtime/port.ts';
import { CgroupReader } from './cgroup.ts';
import { cpuPercent, mapBounded, type CpuSample } from './math.ts';

export interface ReplicaSample {
  containerId: string;
  /** Percent of one core since the previous sample; null on the first sample. */
  cpuPct: number | null;
  memBytes: number;
  memLimitBytes: number;
  pids: number;
  source: 'cgroup' | 'docker';
}

/** One-shot stats plus the raw cumulative CPU counter, when the Docker port provides it. */
type OneShot = ContainerStats;

export interface SamplerOptions {
  concurrency?: number;
  /** '' disables cgroup reads. */
  cgroupRoot?: string;
  now?: () => number;
}

export class ContainerSampler {
  #prev = new Map<string, CpuSample>();
  #cgroup: CgroupReader | null;
  #concurrency: number;
  #now: () => number;
  /** How many samples came from each source in the last sample() call (for the benchmark and /metrics). */
  lastSources = { cgroup: 0, docker: 0, missing: 0 };

  constructor(
    private docker: Pick<DockerPort, 'stats'>,
    opts: SamplerOptions = {},
  ) {
    this.#cgroup = opts.cgroupRoot === '' ? null : new CgroupReader(opts.cgroupRoot);
    this.#concurrency = opts.concurrency ?? 8;
    this.#now = opts.now ?? Date.now;
  }

  async #one(id: string): Promise<ReplicaSample | null> {
    const raw = this.#cgroup ? await this.#cgroup.read(id) : null;
    if (raw) {
      const cur = { cpuNs: raw.cpuNs, atMs: this.#now() };
      const cpuPct = cpuPercent(this.#prev.get(id), cur);
      this.#prev.set(id, cur);
      return {
        containerId: id,
        cpuPct,
        memBytes: raw.memoryBytes,
        memLimitBytes: raw.memoryLimitBytes,
        pids: raw.pids,
        source: 'cgroup',
      };
    }
    const s = (await this.docker.stats(id, { oneShot: true }).catch(() => null)) as OneShot | null;
    if (!s) return null;
    let cpuPct = s.cpuPercent;
    if (cpuPct === null && typeof s.cpuUsageNs === 'number') {
      const cur = { cpuNs: s.cpuUsageNs, atMs: this.#now() };
      cpuPct = cpuPercent(this.#prev.get(id), cur);
      this.#prev.set(id, cur);
    }
    return {
      containerId: id,
      cpuPct,
      memBytes: s.memoryBytes,
      memLimitBytes: s.memoryLimitBytes,
      pids: s.pids,
      source: 'docker',
    };
  }

  /** Samples the given containers; missing ones (gone, engine error) are left out. */
  async sample(ids: readonly string[]): Promise<ReplicaSample[]> {
    const keep = new Set(ids);
    for (const id of this.#prev.keys()) if (!keep.has(id)) this.#prev.delete(id);
    this.#cgroup?.forget(keep);
    const rows = await mapBounded(ids, this.#concurrency, (id) => this.#one(id));
    const out = rows.filter((r): r is ReplicaSample => r !== null);
    this.lastSources = {
      cgroup: out.filter((r) => r.source === 'cgroup').length,
      docker: out.filter((r) => r.source === 'docker').length,
      missing: ids.length - out.length,
    };
    return out;
  }
}
