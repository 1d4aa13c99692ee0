// What the job tasks need from the outside world; created in server/main.ts and passed in.
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { LogBus } from '../logs/releaseLog.ts';
import type { DockerPort } from '../runtime/port.ts';
import type { RouteSync } from '../runtime/routeSync.ts';
import type { RolloutDeps } from '../runtime/rollout.ts';
import { instanceLabels } from '../runtime/names.ts';

export interface JobDeps {
  db: Db;
  docker: DockerPort;
  config: Config;
  bus: LogBus;
  routes: RouteSync;
  reposDir: string;
  buildsDir: string;
  /** This installation's id (container label kyozo.instance). */
  instance: string;
}

/** Errors of the infrastructure (Docker unreachable, database gone): the job is retried, the release waits. */
export class InfrastructureError extends Error {}

export const rolloutDeps = (deps: JobDeps, log: (l: string) => void): RolloutDeps => ({
  docker: deps.docker,
  config: deps.config,
  log,
  labels: instanceLabels({ instance: deps.instance }),
});
