import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CgroupReader, parseKeyValues } from '../../server/metrics/cgroup.ts';
import { parseMetricsConfig } from '../../server/metrics/config.ts';
import { cpuPercent, mapBounded, serviceRows } from '../../server/metrics/math.ts';
import { ContainerSampler } from '../../server/metrics/sampler.ts';
import { hostCpuPercent, parseMeminfo, parseProcStat } from '../../server/metrics/system.ts';
import type { ServiceMetrics } from '../../server/proxy/metrics.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('cpuPercent from two cumulative samples', () => {
  it('is percent of one core over the wall time between samples', () => {
    expect(cpuPercent({ cpuNs: 0, atMs: 0 }, { cpuNs: 5e8, atMs: 1000 })).toBe(50);
    expect(cpuPercent({ cpuNs: 1e9, atMs: 0 }, { cpuNs: 3e9, atMs: 1000 })).toBe(200); // two cores busy
    expect(cpuPercent({ cpuNs: 0, atMs: 0 }, { cpuNs: 1e6, atMs: 10_000 })).toBe(0.01);
  });
  it('is null without a usable previous sample', () => {
    expect(cpuPercent(undefined, { cpuNs: 5, atMs: 1 })).toBeNull();
    expect(cpuPercent({ cpuNs: 9e9, atMs: 0 }, { cpuNs: 1e6, atMs: 1000 })).toBeNull(); // counter reset (restart)
    expect(cpuPercent({ cpuNs: 0, atMs: 1000 }, { cpuNs: 1e6, atMs: 1000 })).toBeNull();
  });
});

const win = (o: Partial<ServiceMetrics>): ServiceMetrics => ({
  app: 'shop',
  service: 'web',
  since: 0,
  requests: 0,
  status: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
  bytesIn: 0,
  bytesOut: 0,
  latencySamples: [],
  latencyMaxMs: 0,
  ...o,
});

describe('serviceRows', () => {
  it('turns proxy windows into rows with nearest-rank percentiles, merging windows of one service', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    const rows = serviceRows([
      win({
        requests: 60,
        status: { '1xx': 0, '2xx': 50, '3xx': 5, '4xx': 3, '5xx': 2 },
        bytesIn: 10,
        bytesOut: 100,
        latencySamples: samples.slice(0, 60),
      }),
      win({
        requests: 40,
        status: { '1xx': 0, '2xx': 40, '3xx': 0, '4xx': 0, '5xx': 0 },
        bytesIn: 5,
        bytesOut: 50,
        latencySamples: samples.slice(60),
      }),
      win({ service: 'api', requests: 0 }),
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      app: 'shop',
      service: 'web',
      requests: 100,
      s2xx: 90,
      s3xx: 5,
      s4xx: 3,
      s5xx: 2,
      bytesIn: 15,
      bytesOut: 150,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
    });
    expect(rows[1]).toMatchObject({ service: 'api', requests: 0, p50Ms: null, p95Ms: null, p99Ms: null });
  });
});

describe('mapBounded', () => {
  it('keeps order and never exceeds the bound', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 5 * (8 - n)));
      active--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });
});

describe('host parsers', () => {
  it('/proc/stat busy share between two samples', () => {
    const a = parseProcStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3\n')!;
    const b = parseProcStat('cpu  200 0 200 1400 200 0 0 0 0 0\n')!;
    expect(a).toEqual({ busy: 200, total: 1000 });
    expect(hostCpuPercent(a, b)).toBe(20);
    expect(hostCpuPercent(null, b)).toBeNull();
  });
  it('/proc/meminfo used = total - available', () => {
    expect(parseMeminfo('MemTotal:  1000 kB\nMemFree: 100 kB\nMemAvailable:  400 kB\n')).toEqual({
      totalBytes: 1024000,
      usedBytes: 614400,
    });
    expect(parseMeminfo('')).toBeNull();
  });
});

describe('cgroup reader', () => {
  const root = mkdtempSync(join(tmpdir(), 'kyozo-cg-'));
  dirs.push(root);
  const put = (rel: string, files: Record<string, string>) => {
    mkdirSync(join(root, rel), { recursive: true });
    for (const [f, v] of Object.entries(files)) writeFileSync(join(root, rel, f), v);
  };
  put('system.slice/docker-aaa.scope', {
    'cpu.stat': 'usage_usec 2000\nuser_usec 1500\n',
    'memory.current': '5000',
    'memory.stat': 'anon 1\ninactive_file 1000\n',
    'memory.max': 'max',
    'pids.current': '3',
  });
  put('cpuacct/docker/bbb', { 'cpuacct.usage': '7000' });
  put('memory/docker/bbb', {
    'memory.usage_in_bytes': '9000',
    'memory.stat': 'total_inactive_file 4000\n',
    'memory.limit_in_bytes': '67108864',
  });
  put('pids/docker/bbb', { 'pids.current': '2' });

  it('reads cgroup v2 (systemd driver) and v1 (cgroupfs driver) layouts', async () => {
    const r = new CgroupReader(root);
    expect(await r.read('aaa')).toEqual({ cpuNs: 2_000_000, memoryBytes: 4000, memoryLimitBytes: 0, pids: 3 });
    expect(await r.read('bbb')).toEqual({ cpuNs: 7000, memoryBytes: 5000, memoryLimitBytes: 67108864, pids: 2 });
    expect(await r.read('ccc')).toBeNull();
    expect(parseKeyValues('a 1\nb x\n\n')).toEqual({ a: 1 });
  });

  it('sampler: cgroup first, one-shot Docker stats for the rest, CPU% from the second sample on', async () => {
    let t = 0;
    const calls: string[] = [];
    const docker = {
      stats: async (id: string, o?: { oneShot?: boolean }) => {
        calls.push(`${id}:${o?.oneShot}`);
        return id === 'ddd'
          ? { cpuPercent: null, memoryBytes: 1, memoryLimitBytes: 2, pids: 1, cpuUsageNs: (t * 1e6) / 4 }
          : null;
      },
    };
    const s = new ContainerSampler(docker, { cgroupRoot: root, now: () => t });
    const first = await s.sample(['aaa', 'ddd', 'gone']);
    expect(first.map((x) => [x.containerId, x.source, x.cpuPct])).toEqual([
      ['aaa', 'cgroup', null],
      ['ddd', 'docker', null],
    ]);
    expect(s.lastSources).toEqual({ cgroup: 1, docker: 1, missing: 1 });
    writeFileSync(join(root, 'system.slice/docker-aaa.scope/cpu.stat'), 'usage_usec 1002000\n');
    t = 10_000;
    const second = await s.sample(['aaa', 'ddd']);
    expect(second.map((x) => x.cpuPct)).toEqual([10, 25]);
    expect(calls.every((c) => c.endsWith(':true'))).toBe(true); // never the 1-second two-sample call
  });
});

describe('parseMetricsConfig', () => {
  it('has defaults and validates', () => {
    expect(parseMetricsConfig({})).toMatchObject({
      intervalMs: 10_000,
      retentionDays: 30,
      rawRetentionDays: 7,
      statsConcurrency: 8,
      prometheusPublic: false,
      enabled: true,
    });
    expect(parseMetricsConfig({ KYOZO_METRICS_RETENTION_DAYS: '3' }).rawRetentionDays).toBe(3);
    expect(() => parseMetricsConfig({ KYOZO_METRICS_INTERVAL_MS: '10' })).toThrow(/KYOZO_METRICS_INTERVAL_MS/);
    expect(() => parseMetricsConfig({ KYOZO_METRICS_PUBLIC: 'maybe' })).toThrow(/KYOZO_METRICS_PUBLIC/);
  });
});

describe('Prometheus text rendering', () => {
  it('renders counters, gauges and cumulative histograms with escaped labels', async () => {
    const { Registry, renderPrometheus } = await import('../../server/metrics/prometheus.ts');
    const r = new Registry();
    r.inc('kyozo_x_total', 'X things', { app: 'a"b\\c\nd' });
    r.inc('kyozo_x_total', 'X things', { app: 'a"b\\c\nd' }, 2);
    r.set('kyozo_g', 'A gauge', {}, 1.5);
    for (const v of [0.003, 0.2, 0.2, 700])
      r.observe('kyozo_h_seconds', 'A histogram', { m: 'GET' }, v, [0.01, 0.5, 10]);
    expect(renderPrometheus(r.families())).toBe(
      [
        '# HELP kyozo_x_total X things',
        '# TYPE kyozo_x_total counter',
        'kyozo_x_total{app="a\\"b\\\\c\\nd"} 3',
        '# HELP kyozo_g A gauge',
        '# TYPE kyozo_g gauge',
        'kyozo_g 1.5',
        '# HELP kyozo_h_seconds A histogram',
        '# TYPE kyozo_h_seconds histogram',
        'kyozo_h_seconds_bucket{m="GET",le="0.01"} 1',
        'kyozo_h_seconds_bucket{m="GET",le="0.5"} 3',
        'kyozo_h_seconds_bucket{m="GET",le="10"} 3',
        'kyozo_h_seconds_bucket{m="GET",le="+Inf"} 4',
        'kyozo_h_seconds_sum{m="GET"} 700.403',
        'kyozo_h_seconds_count{m="GET"} 4',
      ].join('\n') + '\n',
    );
  });
});
