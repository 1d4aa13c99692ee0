// The only runtime dockerode import in Kyozo: DockerPort over a Dockerode client.
import type Dockerode from 'dockerode';
import { packContext } from './context.ts';
import type { BuildOptions, ContainerState, ContainerStats, DockerPort } from './port.ts';
import { labelFilters } from './spec.ts';
import { createBuildLog, createJsonLineSplitter, demuxDockerStream, type BuildEvent } from './streams.ts';

export interface DockerPortOptions {
  /** Timeout for every non-build call. Default 30 s. */
  timeoutMs?: number;
}

type DockerError = Error & { statusCode?: number; json?: { message?: string } | string | null; reason?: string };

export function statusOf(e: unknown): number | undefined {
  return (e as DockerError)?.statusCode;
}

/** Docker's own error text ("No such container: …") rather than dockerode's "(HTTP code 404) …" wrapper. */
export function dockerMessage(e: unknown): string {
  const err = e as DockerError;
  const json = err?.json;
  if (json && typeof json === 'object' && json.message) return json.message;
  if (typeof json === 'string' && json.trim()) return json.trim();
  return err?.message ?? String(e);
}

function wrap(op: string, e: unknown): Error {
  const out = new Error(`docker ${op}: ${dockerMessage(e)}`) as DockerError;
  out.statusCode = statusOf(e);
  out.cause = e;
  return out;
}

export function createDockerPort(docker: Dockerode, options: DockerPortOptions = {}): DockerPort {
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** Runs a call with an abort signal; rejects with a clear message when dockerd does not answer in time. */
  async function timed<T>(op: string, fn: (signal: AbortSignal) => Promise<T>, ms = timeoutMs): Promise<T> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new Error(`docker ${op}: no answer from the Docker engine within ${ms}ms`));
      }, ms);
    });
    try {
      return await Promise.race([fn(ac.signal), timeout]);
    } catch (e) {
      if ((e as Error).message?.startsWith(`docker ${op}:`)) throw e;
      throw wrap(op, e);
    } finally {
      clearTimeout(timer);
    }
  }

  async function ignoring<T>(codes: number[], p: Promise<T>, match?: RegExp): Promise<T | undefined> {
    try {
      return await p;
    } catch (e) {
      const code = statusOf(e);
      if (code !== undefined && codes.includes(code) && (!match || match.test(dockerMessage(e)))) return undefined;
      throw e;
    }
  }

  const port: DockerPort = {
    async ping() {
      try {
        await timed('ping', (abortSignal) => (docker.ping as (o: { abortSignal: AbortSignal }) => Promise<unknown>).call(docker, { abortSignal }), Math.min(timeoutMs, 5000));
        return true;
      } catch {
        return false;
      }
    },

    build: (opts) => buildImage(docker, opts),

    async run(spec) {
      const c = await timed('create', (abortSignal) => docker.createContainer({ ...spec, abortSignal }));
      try {
        await timed('start', (abortSignal) => c.start({ abortSignal }));
      } catch (e) {
        await c.remove({ force: true }).catch(() => {});
        throw e;
      }
      return c.id;
    },

    async inspect(id) {
      const info = await ignoring([404], timed('inspect', (abortSignal) => docker.getContainer(id).inspect({ abortSignal })));
      if (!info) return null;
      const nets = info.NetworkSettings?.Networks ?? {};
      const st = info.State;
      const state: ContainerState = {
        id: info.Id,
        name: info.Name.replace(/^\//, ''),
        running: st.Running,
        exitCode: st.Running || st.Status === 'created' ? null : st.ExitCode,
        startedAt: st.StartedAt,
        finishedAt: st.FinishedAt,
        oomKilled: st.OOMKilled,
        ip: Object.values(nets).map((n) => n.IPAddress).find((ip) => !!ip) ?? null,
        restartCount: info.RestartCount ?? 0,
        labels: info.Config?.Labels ?? {},
      };
      return state;
    },

    async stop(id, timeoutSec = 10) {
      // 304: already stopped; 404: gone. The HTTP call must outlive the grace period.
      await ignoring([304, 404], timed('stop', () => docker.getContainer(id).stop({ t: timeoutSec }), timeoutSec * 1000 + timeoutMs));
    },

    async remove(id) {
      await ignoring([404], ignoring([409], timed('remove', () => docker.getContainer(id).remove({ force: true, v: true })), /already in progress/));
    },

    async stopAndRemove(id, timeoutSec = 10) {
      await port.stop(id, timeoutSec);
      await port.remove(id);
    },

    async list(labels) {
      const rows = await timed('list', (abortSignal) => docker.listContainers({ all: true, filters: { label: labelFilters(labels) }, abortSignal }));
      return rows.map((r) => ({
        id: r.Id,
        name: (r.Names?.[0] ?? '').replace(/^\//, ''),
        image: r.Image,
        labels: r.Labels ?? {},
        state: r.State,
        status: r.Status,
        created: r.Created,
      }));
    },

    async removeImage(ref) {
      try {
        await timed('remove image', () => docker.getImage(ref).remove());
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return true;
        if (statusOf(e) === 409) return false;
        throw e;
      }
    },

    async imageExists(ref) {
      return !!(await ignoring([404], timed('inspect image', () => docker.getImage(ref).inspect())));
    },

    async listImages(labels) {
      const rows = await timed('list images', (abortSignal) => docker.listImages({ filters: { label: labelFilters(labels) }, abortSignal }));
      return rows.map((r) => ({ id: r.Id, tags: r.RepoTags ?? [], labels: r.Labels ?? {}, created: r.Created, size: r.Size }));
    },

    async ensureNetwork(name) {
      const find = async () => {
        const nets = await timed('list networks', (abortSignal) => docker.listNetworks({ filters: { name: [name] }, abortSignal }));
        return nets.find((n) => n.Name === name)?.Id;
      };
      const existing = await find();
      if (existing) return existing;
      try {
        const net = await timed('create network', () =>
          docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { 'kyozo.managed': 'true' } }),
        );
        return net.id;
      } catch (e) {
        const raced = statusOf(e) === 409 ? await find() : undefined; // created concurrently
        if (raced) return raced;
        throw e;
      }
    },

    async removeNetwork(name) {
      await ignoring([404], timed('remove network', () => docker.getNetwork(name).remove()));
    },

    async logs(id, opts = {}) {
      const buf = await timed('logs', (abortSignal) =>
        docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, tail: opts.tail ?? 100, abortSignal }),
      );
      return demuxDockerStream(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf))).combined;
    },

    async stats(id, opts = {}) {
      const s = await ignoring([404], timed('stats', () => docker.getContainer(id).stats({ stream: false, 'one-shot': !!opts.oneShot })));
      return s ? toStats(s) : null;
    },
  };
  return port;
}

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
  };
}

async function buildImage(docker: Dockerode, o: BuildOptions): Promise<{ imageId: string }> {
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
    stream.on('error', (e: Error) => finish(new Error(o.signal?.aborted ? 'build aborted' : `build stream failed: ${e.message}`)));
    stream.on('end', () => {
      split.end();
      const r = log.end();
      if (r.error) finish(new Error(r.error));
      else if (!r.imageId) finish(new Error('build finished without an image id'));
      else finish(null, r.imageId);
    });
  });
}
