// Which container Kyozo itself runs in, if any. Kyozo started from its own image (Docker socket mounted) on
// a bridge network cannot reach replica addresses on the per-app networks until it joins them, so the Docker
// port connects this container to every app network it creates (and to existing ones at start).
import { existsSync, readFileSync } from 'node:fs';

const ID = /[0-9a-f]{64}/;

/** Pure: the container id in /proc/self/mountinfo (cgroup v2 and v1) or /proc/self/cgroup (v1), else null. */
export function containerIdFrom(mountinfo: string, cgroup: string): string | null {
  const mount = mountinfo.match(/\/(?:docker\/)?containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)/);
  if (mount) return mount[1];
  const line = cgroup.split('\n').find((l) => /docker[/-][0-9a-f]{64}/.test(l));
  return line?.match(ID)?.[0] ?? null;
}

/**
 * KYOZO_CONTAINER_ID names it explicitly ("none" turns joining off); otherwise it is detected when
 * /.dockerenv exists. null outside a container.
 */
export function ownContainerId(env: Record<string, string | undefined>): string | null {
  const given = env.KYOZO_CONTAINER_ID?.trim();
  if (given) return given === 'none' ? null : given;
  if (!existsSync('/.dockerenv')) return null;
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return '';
    }
  };
  return containerIdFrom(read('/proc/self/mountinfo'), read('/proc/self/cgroup'));
}
