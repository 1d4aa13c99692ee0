// Dependencies of user-facing operations (API, console, git hook). Created in server/main.ts.
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Jobs } from '../jobs/worker.ts';
import type { LogBus } from '../logs/releaseLog.ts';
import type { DockerPort } from '../runtime/port.ts';
import type { RouteSync } from '../runtime/routeSync.ts';

export interface OpsDeps {
  database: Database;
  docker: DockerPort;
  config: Config;
  jobs: Pick<Jobs, 'enqueueDeploy'>;
  bus: LogBus;
  routes: RouteSync;
  reposDir: string;
  instance: string;
}

/** A user-facing error with an HTTP status. */
export class OpError extends Error {
  constructor(
    public status: 400 | 404 | 409 | 422 | 503,
    message: string,
  ) {
    super(message);
  }
}
