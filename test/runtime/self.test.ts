import { describe, expect, it } from 'vitest';
import { containerIdFrom, ownContainerId } from '../../server/runtime/self.ts';

const id = 'a'.repeat(12) + '0123456789abcdef'.repeat(3) + 'b'.repeat(4);

describe('own container id', () => {
  it('reads it from mountinfo (cgroup v2 and v1 engines mount hostname/hosts from the container dir)', () => {
    const mountinfo = `612 590 0:52 / / rw master:1 - overlay overlay rw
630 612 254:1 /var/lib/docker/containers/${id}/hostname /etc/hostname rw - ext4 /dev/vda1 rw`;
    expect(containerIdFrom(mountinfo, '')).toBe(id);
  });
  it('falls back to /proc/self/cgroup on cgroup v1', () => {
    expect(containerIdFrom('', `12:memory:/docker/${id}\n0::/`)).toBe(id);
    expect(containerIdFrom('', `1:name=systemd:/system.slice/docker-${id}.scope`)).toBe(id);
  });
  it('is null on a host', () => {
    expect(containerIdFrom('25 1 0:22 / / rw - ext4 /dev/sda1 rw', '0::/user.slice')).toBeNull();
  });
  it('KYOZO_CONTAINER_ID names it or turns joining off', () => {
    expect(ownContainerId({ KYOZO_CONTAINER_ID: 'kyozo' })).toBe('kyozo');
    expect(ownContainerId({ KYOZO_CONTAINER_ID: 'none' })).toBeNull();
  });
});
