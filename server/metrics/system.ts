// Host aggregates for capacity planning: CPU from /proc/stat (two samples), memory from /proc/meminfo,
// disk from statfs on the data dir. Parsers are pure; HostSampler keeps the previous CPU sample.
import { readFile, statfs } from 'node:fs/promises';

export interface ProcCpu {
  busy: number;
  total: number;
}

/** The aggregate "cpu" line of /proc/stat: busy = total - idle - iowait (jiffies). */
export function parseProcStat(text: string): ProcCpu | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest* are already in user/nice.
  const total = f.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** Percent of the whole host (100 = every core busy) between two samples. */
export function hostCpuPercent(prev: ProcCpu | null, cur: ProcCpu): number | null {
  if (!prev) return null;
  const dt = cur.total - prev.total;
  if (dt <= 0) return null;
  return Math.round(((cur.busy - prev.busy) / dt) * 10000) / 100;
}

export function parseMeminfo(text: string): { totalBytes: number; usedBytes: number } | null {
  const kv: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) kv[m[1]] = Number(m[2]) * 1024;
  }
  if (!kv.MemTotal) return null;
  const available = kv.MemAvailable ?? (kv.MemFree ?? 0) + (kv.Cached ?? 0) + (kv.Buffers ?? 0);
  return { totalBytes: kv.MemTotal, usedBytes: kv.MemTotal - available };
}

export interface HostSample {
  cpuPct: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  diskUsedBytes: number | null;
  diskTotalBytes: number | null;
}

export class HostSampler {
  #prev: ProcCpu | null = null;
  constructor(
    private dataDir: string,
    private procRoot = '/proc',
  ) {}

  async sample(): Promise<HostSample> {
    const [stat, mem, fs] = await Promise.all([
      readFile(`${this.procRoot}/stat`, 'utf8').catch(() => ''),
      readFile(`${this.procRoot}/meminfo`, 'utf8').catch(() => ''),
      statfs(this.dataDir).catch(() => null),
    ]);
    const cpu = parseProcStat(stat);
    const cpuPct = cpu ? hostCpuPercent(this.#prev, cpu) : null;
    if (cpu) this.#prev = cpu;
    const m = parseMeminfo(mem);
    return {
      cpuPct,
      memUsedBytes: m?.usedBytes ?? null,
      memTotalBytes: m?.totalBytes ?? null,
      // Used = total - free (blocks reserved for root count as used, like df).
      diskUsedBytes: fs ? (fs.blocks - fs.bfree) * fs.bsize : null,
      diskTotalBytes: fs ? fs.blocks * fs.bsize : null,
    };
  }
}
