// Backing services (pure): the capabilities their entrypoints need, and in host network mode the stable
// port Kyozo gives them.

/** chown the data dir, read/write files of another owner while doing so, then drop to the service's user. */
const DATA_OWNER = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'];

/**
 * Capabilities a backing service gets back after CapDrop ALL: only what its kind's official entrypoint uses
 * (gosu/su-exec to its own user after fixing the data dir's owner). Unknown kinds get the same small set;
 * never NET_RAW, NET_ADMIN, SYS_* or anything that reaches beyond the container.
 */
export function backingCapabilities(runtime: string): string[] {
  switch (runtime) {
    case 'memcached':
      return ['SETGID', 'SETUID'];
    case 'nats':
      return [];
    default:
      return DATA_OWNER;
  }
}

/** Command that makes a well-known backing image listen on `port`; null when env PORT is enough or unknown. */
export function hostModeCommand(runtime: string, port: number): string[] | null {
  const p = String(port);
  switch (runtime) {
    case 'postgres':
      return ['postgres', '-p', p];
    case 'redis':
      return ['redis-server', '--port', p];
    case 'valkey':
      return ['valkey-server', '--port', p];
    case 'mysql':
      return ['mysqld', `--port=${p}`];
    case 'mariadb':
      return ['mariadbd', `--port=${p}`];
    case 'mongodb':
      return ['mongod', '--port', p, '--bind_ip_all'];
    case 'memcached':
      return ['memcached', '-p', p];
    case 'nats':
      return ['nats-server', '-p', p];
    default:
      return null;
  }
}

/** Extra env for images configured by env rather than flags. */
export function hostModeEnv(runtime: string, port: number): Record<string, string> {
  if (runtime === 'rabbitmq') return { RABBITMQ_NODE_PORT: String(port) };
  return {};
}
