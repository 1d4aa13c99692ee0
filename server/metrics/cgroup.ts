// Container stats straight from the cgroup filesystem (v2 unified or v1 per-controller), the cheapest
// source there is: a few small file reads per container, no work at all for dockerd or containerd.
// Used when Kyozo runs on the Docker host (or sees its /sys/fs/cgroup); otherwise the collector falls
// back to Docker's one-shot stats.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface RawStats {
  /** Cumulative CPU time, ns. */
  cpuNs: number;
  /** Usage minus inactive file cache (what `docker stats` shows). */
  memoryBytes: number;
  /** 0 when unlimited. */
  memoryLimitBytes: number;
  pids: number;
}

type Layout = { v: 2; dir: string } | { v: 1; cpu: string; memory: string; pids: string };

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const readNum = async (p: string) => {
  const t = (await readFile(p, 'utf8')).trim();
  return t === 'max' ? 0 : Number(t);
};

/** Parses "key value" lines (cpu.stat, memory.stat). */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && Number.isFinite(Number(v))) out[k] = Number(v);
  }
  return out;
}

/** Unlimited cgroup v1 limits are huge page-rounded numbers; report them as 0 (= no limit). */
const limitOrZero = (n: number) => (n >= 2 ** 60 ? 0 : n);

export class CgroupReader {
  #layouts = new Map<string, Layout | null>();
  constructor(readonly root = '/sys/fs/cgroup') {}

  /** Candidate directories for the cgroupfs and systemd drivers; null when none exists. */
  async #locate(id: string): Promise<Layout | null> {
    if (this.#layouts.has(id)) return this.#layouts.get(id)!;
    const rels = [`docker/${id}`, `system.slice/docker-${id}.scope`];
    let found: Layout | null = null;
    for (const rel of rels) {
      if ((await exists(join(this.root, rel, 'cpu.stat'))) && (await exists(join(this.root, rel, 'memory.current')))) {
        found = { v: 2, dir: join(this.root, rel) };
        break;
      }
      const cpu = join(this.root, 'cpuacct', rel);
      if (await exists(join(cpu, 'cpuacct.usage'))) {
        found = { v: 1, cpu, memory: join(this.root, 'memory', rel), pids: join(this.root, 'pids', rel) };
        break;
      }
    }
    // Only cache hits: a container found nowhere may be too new (or gone); forget() drops the rest.
    if (found) this.#layouts.set(id, found);
    return found;
  }

  /** null when this container's cgroup is not visible from here. */
  async read(id: string): Promise<RawStats | null> {
    const l = await this.#locate(id);
    if (!l) return null;
    try {
      if (l.v === 2) {
        const [cpu, mem, memStat, limit, pids] = await Promise.all([
          readFile(join(l.dir, 'cpu.stat'), 'utf8'),
          readNum(join(l.dir, 'memory.current')),
          readFile(join(l.dir, 'memory.stat'), 'utf8'),
          readNum(join(l.dir, 'memory.max')),
          readNum(join(l.dir, 'pids.current')).catch(() => 0),
        ]);
        const inactive = parseKeyValues(memStat).inactive_file ?? 0;
        return {
          cpuNs: (parseKeyValues(cpu).usage_usec ?? 0) * 1000,
          memoryBytes: Math.max(0, mem - inactive),
          memoryLimitBytes: limitOrZero(limit),
          pids,
        };
      }
      const [cpuNs, mem, memStat, limit, pids] = await Promise.all([
        readNum(join(l.cpu, 'cpuacct.usage')),
        readNum(join(l.memory, 'memory.usage_in_bytes')),
        readFile(join(l.memory, 'memory.stat'), 'utf8'),
        readNum(join(l.memory, 'memory.limit_in_bytes')),
        readNum(join(l.pids, 'pids.current')).catch(() => 0),
      ]);
      const inactive = parseKeyValues(memStat).total_inactive_file ?? 0;
      return { cpuNs, memoryBytes: Math.max(0, mem - inactive), memoryLimitBytes: limitOrZero(limit), pids };
    } catch {
      this.#layouts.delete(id); // removed between locate and read
      return null;
    }
  }

  forget(keep: ReadonlySet<string>): void {
    for (const id of this.#layouts.keys()) if (!keep.has(id)) this.#layouts.delete(id);
  }
}
