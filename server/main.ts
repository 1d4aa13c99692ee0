// Composition root: the only place that creates clients (database, Docker, proxy, jobs, git) and wires them.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { getRequestListener } from '@hono/node-server';
import { parseConfig, type Config } from './config.ts';
import { connect, runMigrations, type Database } from './db/client.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { sealStoredConfigs } from './db/configAtRest.ts';
import { loadSecretKey } from './db/secrets.ts';
import { getApp } from './db/apps.ts';
import { authenticateToken, bootstrapAdmin, principalById } from './db/users.ts';
import { createGitFront } from './git/front.ts';
import { generateHookSecret, hookUrl } from './git/hookEnv.ts';
import { createApp } from './http/app.ts';
import { startJobs } from './jobs/worker.ts';
import { LogBus } from './logs/releaseLog.ts';
import { ensureProxyDaemon } from './proxy/supervisor.ts';
import { createDockerPort } from './runtime/docker.ts';
import { reconcile } from './runtime/reconcile.ts';
import { RouteSync } from './runtime/routeSync.ts';
import { withCircuitBreaker } from './runtime/breaker.ts';
import { ownContainerId } from './runtime/self.ts';
import { startAppLogCollector } from './logs/appLogs.ts';
import { cleanupOptionsFromEnv } from './jobs/cleanup.ts';
import { instanceId } from './instance.ts';
import { parseMetricsConfig } from './metrics/config.ts';
import { Registry } from './metrics/prometheus.ts';
import { startMonitor } from './metrics/monitor.ts';
import { bootstrapAdminPassword } from './auth/accounts.ts';
import { startHealthMonitor } from './monitor/monitor.ts';
import { DEFAULT_MONITOR } from './monitor/policy.ts';

export interface Kyozo {
  config: Config;
  server: http.Server;
  database: Database;
  stop(): Promise<void>;
}

export async function startKyozo(
  env: Record<string, string | undefined> = process.env,
  log: (m: string) => void = console.log,
): Promise<Kyozo> {
  const config = parseConfig(env);
  const reposDir = join(config.dataDir, 'repos');
  const buildsDir = join(config.dataDir, 'builds');
  for (const d of [config.dataDir, reposDir, buildsDir]) mkdirSync(d, { recursive: true });
  const instance = instanceId(config.dataDir);
  const secrets = loadSecretKey(env, config.dataDir, log); // before Postgres: a malformed key stops here

  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(join(config.dataDir, 'postgres'), log);
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const database = connect(databaseUrl, { secrets });
  await runMigrations(database);
  const { db } = database;
  const sealed = await sealStoredConfigs(db);
  if (sealed.apps || sealed.releases)
    log(`secrets: encrypted the config of ${sealed.apps} app(s) and ${sealed.releases} release(s) at rest`);

  const { printToken } = await bootstrapAdmin(db, config.adminToken);
  await bootstrapAdminPassword(db, env.KYOZO_ADMIN_PASSWORD || null);
  if (printToken) log(`\n  Admin API token (shown once, store it now): ${printToken}\n`);

  let jobsRef: { resumeWaitingDeploys(): Promise<void> } | null = null;
  const docker = withCircuitBreaker(
    createDockerPort(new Dockerode(), { selfContainer: ownContainerId(env), instance }),
    {
      onStateChange: (s) => {
        log(`docker: circuit ${s}`);
        if (s === 'closed') jobsRef?.resumeWaitingDeploys().catch(() => {});
      },
    },
  );
  const proxy = await ensureProxyDaemon(
    {
      port: config.proxyPort,
      host: config.host,
      domain: config.domain,
      runDir: join(config.dataDir, 'run'),
      publicPort: config.publicProxyPort,
      trustedProxies: config.trustedProxies,
    },
    log,
  );
  const routes = new RouteSync(db, proxy);
  const bus = new LogBus();

  if (await docker.ping()) {
    await reconcile(db, docker, instance, log);
    const joined = await docker.joinOwnNetworks();
    if (joined) log(`docker: this container joined ${joined} app network(s) to reach their replicas`);
  } else log('docker: engine unreachable; skipping reconcile (deploys wait until it is back)');
  await routes.syncAll();

  const jobDeps = { db, docker, config, bus, routes, reposDir, buildsDir, instance };
  const metricsConfig = parseMetricsConfig(env);
  const registry = new Registry();
  const metrics = metricsConfig.enabled
    ? startMonitor({ db, docker, proxy, instance, dataDir: config.dataDir, config: metricsConfig, registry, log })
    : null;
  const cleanupOpts = cleanupOptionsFromEnv(env);
  const jobs = await startJobs(databaseUrl, jobDeps, { cleanup: cleanupOpts });
  jobsRef = jobs;
  const appLogs = startAppLogCollector({
    db,
    docker,
    keepPerApp: cleanupOpts.appLogLines,
    pollMs: config.appLogPollMs,
    log,
  });
  const monitor =
    config.healthIntervalMs > 0
      ? startHealthMonitor(
          { db, docker, config, routes, proxy, instance, log },
          {
            intervalMs: config.healthIntervalMs,
            policy: { ...DEFAULT_MONITOR, backoffBaseMs: config.restartBackoffMs },
          },
        )
      : null;
  const hookSecret = generateHookSecret();
  const api = createApp({
    database,
    docker,
    config,
    jobs,
    bus,
    routes,
    reposDir,
    instance,
    hookSecret,
    metricsConfig,
    registry,
  });

  const git = createGitFront({
    reposDir,
    hook: { url: hookUrl(config.port, config.host), secret: hookSecret },
    authenticate: async (_user, password) => {
      const p = await authenticateToken(db, password);
      return p ? { userId: String(p.userId) } : null;
    },
    authorize: async (userId, app) => {
      const principal = await principalById(db, Number(userId));
      return !!principal && !!(await getApp(db, principal, app));
    },
  });
  const honoListener = getRequestListener(api.fetch);
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/git/')) return git(req, res);
    return honoListener(req, res);
  });
  server.requestTimeout = 0; // pushes and log streams can be long
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  log(
    `kyozo: console/API/git on http://${config.host}:${config.port}, apps on *.${config.domain}:${config.proxyPort} (network ${config.network})`,
  );

  return {
    config,
    server,
    database,
    async stop() {
      server.close();
      server.closeAllConnections();
      await monitor?.stop();
      await metrics?.stop().catch(() => {});
      await appLogs.stop().catch(() => {});
      await jobs.stop().catch(() => {});
      await database.close().catch(() => {});
      await embedded?.stop().catch(() => {});
    },
  };
}
