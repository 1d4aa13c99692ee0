// graphile-worker, in-process. Deploys of one app run one at a time (a queue per app); a failing build
// fails its release and the job ends; only infrastructure errors are retried.
import { run, type Logger, type Runner, type TaskList } from 'graphile-worker';
import { Logger as GwLogger } from 'graphile-worker';
import { sql } from 'drizzle-orm';
import { sanitizedError } from '../db/errors.ts';
import { CLEANUP_CRONTAB, cleanupTask, type CleanupOptions } from './cleanup.ts';
import { deployRelease, type DeployPayload } from './deploy.ts';
import type { JobDeps } from './deps.ts';

export interface Jobs {
  enqueueDeploy(app: string, releaseId: number, opts?: { restart?: string[] | 'all' }): Promise<void>;
  /** Runs deploys that are waiting out a Docker outage now instead of at their next backoff time. */
  resumeWaitingDeploys(): Promise<void>;
  stop(): Promise<void>;
}

export function taskList(deps: JobDeps, cleanup: CleanupOptions = {}): TaskList {
  return {
    deploy: async (payload) => {
      await deployRelease(deps, payload as DeployPayload).catch((e: unknown) => {
        throw sanitizedError(e); // graphile-worker logs the message and stack: no query parameters in them
      });
    },
    cleanup: cleanupTask(
      { db: deps.db, docker: deps.docker, instance: deps.instance, buildsDir: deps.buildsDir },
      cleanup,
    ),
  };
}

const quietLogger: Logger = new GwLogger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`[jobs] ${message}`);
});

export async function startJobs(
  connectionString: string,
  deps: JobDeps,
  opts: { concurrency?: number; cleanup?: CleanupOptions } = {},
): Promise<Jobs> {
  const runner: Runner = await run({
    connectionString,
    concurrency: opts.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: taskList(deps, opts.cleanup),
    crontab: CLEANUP_CRONTAB,
    logger: quietLogger,
  });
  return {
    async enqueueDeploy(app, releaseId, opts = {}) {
      await runner.addJob('deploy', { releaseId, ...opts }, { queueName: `app:${app}`, maxAttempts: 25 });
    },
    async resumeWaitingDeploys() {
      // graphile-worker's public jobs view and its reschedule_jobs administrative function (which skips locked jobs).
      await deps.db.execute(sql`select graphile_worker.reschedule_jobs(
        array(select id from graphile_worker.jobs
              where task_identifier = 'deploy' and attempts > 0 and attempts < max_attempts and run_at > now() and locked_at is null),
        run_at := now())`);
    },
    stop: () => runner.stop(),
  };
}
