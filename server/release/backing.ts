// Backing services in host network mode listen on Kyozo's stable port for them (pure).

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
