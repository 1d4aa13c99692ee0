// Image builds over the Docker API (legacy builder) and stats math; used by docker.ts.
import type Dockerode from 'dockerode';
import { packContext } from './context.ts';
import { dockerMessage } from './errors.ts';
import type { BuildOptions, ContainerStats } from './port.ts';
import { createBuildLog, createJsonLineSplitter, type BuildEvent } from './streams.ts';

export function toStats(s: Dockerode.ContainerStats): ContainerStats {
  const cpu = s.cpu_stats;
  const pre = s.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const online = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  const hasPrev = !!pre?.system_cpu_usage;
  const ms = (s.memory_stats ?? {}) as { usage?: number; limit?: number; stats?: Record<string, number> };
  const cache = ms.stats?.total_inactive_file ?? ms.stats?.inactive_file ?? ms.stats?.cache ?? 0;
  return {
    cpuPercent: hasPrev && sysDelta > 0 ? Math.round((cpuDelta / sysDelta) * online * 10000) / 100 : null,
    memoryBytes: Math.max(0, (ms.usage ?? 0) - cache),
    memoryLimitBytes: ms.limit ?? 0,
    pids: (s as unknown as { pids_stats?: { current?: number } }).pids_stats?.current ?? 0,
    ...(typeof cpu?.cpu_usage?.total_usage === 'number' ? { cpuUsageNs: cpu.cpu_usage.total_usage } : {}),
  };
}

export async function buildImage(docker: Dockerode, o: BuildOptions): Promise<{ imageId: string }> {
  if (o.signal?.aborted) throw new Error('build aborted');
  const context = packContext(o.contextDir, o.dockerfile);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(context, {
      t: o.tag,
      dockerfile: o.dockerfile,
      labels: o.labels,
      rm: true,
      forcerm: true,
      ...(o.memoryMb ? { memory: Math.round(o.memoryMb * 1024 * 1024) } : {}),
      ...(o.networkMode ? { networkmode: o.networkMode } : {}),
      ...(o.signal ? { abortSignal: o.signal } : {}),
    });
  } catch (e) {
    context.destroy();
    if (o.signal?.aborted) throw new Error('build aborted');
    throw new Error(dockerMessage(e));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const log = createBuildLog(o.onLine);
    const split = createJsonLineSplitter((obj) => log.push(obj as BuildEvent));
    const finish = (err: Error | null, imageId?: string) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve({ imageId: imageId! });
    };
    const onAbort = () => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      finish(new Error('build aborted'));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => split.write(chunk));
    stream.on('error', (e: Error) =>
      finish(new Error(o.signal?.aborted ? 'build aborted' : `build stream failed: ${e.message}`)),
    );
    stream.on('end', () => {
      split.end();
      const r = log.end();
      if (r.error) finish(new Error(r.error));
      else if (!r.imageId) finish(new Error('build finished without an image id'));
      else finish(null, r.imageId);
    });
  });
}
