// DockerPort over a Dockerode client: the only module that talks to the Docker API (with docker-build.ts).
import type Dockerode from 'dockerode';
import { buildImage, toStats } from './docker-build.ts';
import { dockerMessage, statusOf } from './errors.ts';
import type { ContainerState, DockerPort } from './port.ts';
import { labelFilters, managedNetworks, networkLabels } from './names.ts';
import { demuxDockerStream } from './streams.ts';
import { parseTimestampedLogs } from './logLines.ts';

export { dockerMessage, statusOf };

export interface DockerPortOptions {
  /** Timeout for every non-build call. Default 30 s. */
  timeoutMs?: number;
  /** The container Kyozo runs in (runtime/self.ts): it joins every app network so it reaches replicas. */
  selfContainer?: string | null;
  /** This installation's id (server/instance.ts): networks carry it, start-up rejoins only its own. */
  instance?: string;
}

function wrap(op: string, e: unknown): Error {
  const out = new Error(`docker ${op}: ${dockerMessage(e)}`) as Error & { statusCode?: number };
  out.statusCode = statusOf(e);
  out.cause = e;
  return out;
}

export function createDockerPort(docker: Dockerode, options: DockerPortOptions = {}): DockerPort {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const self = options.selfContainer ?? null;
  const instance = options.instance ?? '';

  /** Connects Kyozo's own container to a network; already connected is fine. */
  async function joinSelf(networkId: string) {
    if (!self) return;
    try {
      await timed('connect network', () => docker.getNetwork(networkId).connect({ Container: self }));
    } catch (e) {
      if (!/already exists|already attached/i.test(dockerMessage(e))) throw e;
    }
  }

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
        await timed(
          'ping',
          (abortSignal) =>
            (docker.ping as (o: { abortSignal: AbortSignal }) => Promise<unknown>).call(docker, { abortSignal }),
          Math.min(timeoutMs, 5000),
        );
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
      const info = await ignoring(
        [404],
        timed('inspect', (abortSignal) => docker.getContainer(id).inspect({ abortSignal })),
      );
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
        ip:
          Object.values(nets)
            .map((n) => n.IPAddress)
            .find((ip) => !!ip) ?? null,
        restartCount: info.RestartCount ?? 0,
        logPath: info.LogPath || null,
        labels: info.Config?.Labels ?? {},
      };
      return state;
    },

    async start(id) {
      // 304: already running.
      await ignoring(
        [304],
        timed('start', () => docker.getContainer(id).start()),
      );
    },

    async stop(id, timeoutSec = 10) {
      // 304: already stopped; 404: gone. The HTTP call must outlive the grace period.
      await ignoring(
        [304, 404],
        timed('stop', () => docker.getContainer(id).stop({ t: timeoutSec }), timeoutSec * 1000 + timeoutMs),
      );
    },

    async remove(id) {
      await ignoring(
        [404],
        ignoring(
          [409],
          timed('remove', () => docker.getContainer(id).remove({ force: true, v: true })),
          /already in progress/,
        ),
      );
    },

    async stopAndRemove(id, timeoutSec = 10) {
      await port.stop(id, timeoutSec);
      await port.remove(id);
    },

    async list(labels) {
      const rows = await timed('list', (abortSignal) =>
        docker.listContainers({ all: true, filters: { label: labelFilters(labels) }, abortSignal }),
      );
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

    async pull(ref, onLine) {
      // No timeout: a big image takes as long as it takes. What the registry says is an answer, not an outage.
      const answer = (e: unknown) =>
        Object.assign(new Error(`docker pull ${ref}: ${dockerMessage(e)}`), {
          statusCode: statusOf(e) ?? 502,
          cause: e,
        });
      const stream = await docker.pull(ref).catch((e: unknown) => {
        throw typeof statusOf(e) === 'number' ? answer(e) : wrap('pull', e);
      });
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (err: unknown) => (err ? reject(answer(err)) : resolve()),
          (ev: { status?: string; id?: string; error?: string }) => {
            if (ev.status && !/^(Downloading|Extracting|Waiting)/.test(ev.status))
              onLine?.(`${ev.id ? `${ev.id}: ` : ''}${ev.status}`);
          },
        );
      });
    },

    async imageExists(ref) {
      return !!(await ignoring(
        [404],
        timed('inspect image', () => docker.getImage(ref).inspect()),
      ));
    },

    async imageFacts(ref) {
      const info = await ignoring(
        [404],
        timed('inspect image', () => docker.getImage(ref).inspect()),
      );
      return info ? { labels: info.Config?.Labels ?? {}, repoDigests: info.RepoDigests ?? [] } : null;
    },

    async listImages(labels) {
      const rows = await timed('list images', (abortSignal) =>
        docker.listImages({ filters: { label: labelFilters(labels) }, abortSignal }),
      );
      return rows.map((r) => ({
        id: r.Id,
        tags: r.RepoTags ?? [],
        labels: r.Labels ?? {},
        created: r.Created,
        size: r.Size,
      }));
    },

    async ensureNetwork(name, labels = {}) {
      const find = async () => {
        const nets = await timed('list networks', (abortSignal) =>
          docker.listNetworks({ filters: { name: [name] }, abortSignal }),
        );
        return nets.find((n) => n.Name === name)?.Id;
      };
      const create = async () => {
        try {
          const net = await timed('create network', () =>
            docker.createNetwork({
              Name: name,
              Driver: 'bridge',
              CheckDuplicate: true,
              Labels: { ...labels, ...networkLabels({ instance }) },
            }),
          );
          return net.id as string;
        } catch (e) {
          const raced = statusOf(e) === 409 ? await find() : undefined; // created concurrently
          if (raced) return raced;
          throw e;
        }
      };
      const id = (await find()) ?? (await create());
      await joinSelf(id);
      return id;
    },

    async joinOwnNetworks() {
      if (!self) return 0;
      const nets = await timed('list networks', (abortSignal) =>
        docker.listNetworks({ filters: { label: labelFilters(managedNetworks({ instance })) }, abortSignal }),
      );
      for (const n of nets) await joinSelf(n.Id);
      return nets.length;
    },

    async connectNetwork(network, containerId, aliases) {
      try {
        await timed('connect network', () =>
          docker.getNetwork(network).connect({ Container: containerId, EndpointConfig: { Aliases: aliases } }),
        );
      } catch (e) {
        if (!/already exists|already attached/i.test(dockerMessage(e))) throw e;
      }
    },

    async listNetworks(labels) {
      const nets = await timed('list networks', (abortSignal) =>
        docker.listNetworks({ filters: { label: labelFilters(labels) }, abortSignal }),
      );
      return nets.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
    },

    async createVolume(name, labels) {
      // Docker answers an existing volume of that name with the volume itself (labels unchanged, data kept).
      await timed('create volume', (abortSignal) => docker.createVolume({ Name: name, Labels: labels, abortSignal }));
    },

    async inspectVolume(name) {
      const v = await ignoring(
        [404],
        timed('inspect volume', () => docker.getVolume(name).inspect()),
      );
      return v ? { name: v.Name, labels: v.Labels ?? {} } : null;
    },

    async listVolumes(labels) {
      const r = await timed('list volumes', (abortSignal) =>
        docker.listVolumes({ filters: { label: labelFilters(labels) }, abortSignal }),
      );
      return (r.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
    },

    async removeVolume(name) {
      try {
        await timed('remove volume', () => docker.getVolume(name).remove());
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return true;
        if (statusOf(e) === 409) return false;
        throw e;
      }
    },

    async removeNetwork(name) {
      if (self)
        await ignoring(
          [404, 500],
          timed('disconnect network', () => docker.getNetwork(name).disconnect({ Container: self, Force: true })),
        ).catch(() => {});
      await ignoring(
        [404],
        timed('remove network', () => docker.getNetwork(name).remove()),
      );
    },
    async logs(id, opts = {}) {
      const buf = await timed('logs', (abortSignal) =>
        docker
          .getContainer(id)
          .logs({ stdout: true, stderr: true, follow: false, tail: opts.tail ?? 100, abortSignal }),
      );
      return demuxDockerStream(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf))).combined;
    },

    async logLines(id, opts = {}) {
      const buf = await ignoring(
        [404],
        timed('logs', (abortSignal) =>
          docker.getContainer(id).logs({
            stdout: true,
            stderr: true,
            follow: false,
            timestamps: true,
            tail: opts.tail ?? 1000,
            since: opts.since ?? 0,
            abortSignal,
          }),
        ),
      );
      return buf === undefined ? [] : parseTimestampedLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    },

    async stats(id, opts = {}) {
      const s = await ignoring(
        [404],
        timed('stats', () => docker.getContainer(id).stats({ stream: false, 'one-shot': !!opts.oneShot })),
      );
      return s ? toStats(s) : null;
    },
  };
  return port;
}
