// graphile-worker, in-process. Deploys of one app run one at a time (a queue per app); a failing build
// fails its release and the job ends; only infrastructure errors are retried.
import { run, type Logger, type Runner, type TaskList } from 'graphile-worker';
import { Logger as GwLogger } from 'graphile-worker';
import { deployRelease, type DeployPayload } from './deploy.ts';
import type { JobDeps } from './deps.ts';

export interface Jobs {
  enqueueDeploy(app: string, releaseId: number, opts?: { restart?: string[] | 'all' }): Promise<void>;
  stop(): Promise<void>;
}

export function taskList(deps: JobDeps): TaskList {
  return {
    deploy: async (payload) => {
      await deployRelease(deps, payload as DeployPayload);
    },
  };
}

const quietLogger: Logger = new GwLogger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`[jobs] ${message}`);
});

export async function startJobs(connectionString: string, deps: JobDeps, opts: { concurrency?: number } = {}): Promise<Jobs> {
  const runner: Runner = await run({
    connectionString,
    concurrency: opts.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: taskList(deps),
    logger: quietLogger,
  });
  return {
    async enqueueDeploy(app, releaseId, opts = {}) {
      await runner.addJob('deploy', { releaseId, ...opts }, { queueName: `app:${app}`, maxAttempts: 25 });
    },
    stop: () => runner.stop(),
  };
}
