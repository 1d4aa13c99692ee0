// Builds one service's image from its build plan (made once per push, server/build/plan.ts) through the
// Docker port, streaming Docker's output into the release log.
import { writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Config } from '../config.ts';
import type { Service } from '../analysis/types.ts';
import * as say from '../release/messages.ts';
import type { DockerPort } from '../runtime/port.ts';
import { buildLabels, imageTag } from '../runtime/names.ts';
import { GENERATED_DOCKERFILE, type BuildPlan } from './plan.ts';

export interface BuildDeps {
  docker: DockerPort;
  config: Config;
  log: (line: string) => void;
}

/**
 * Builds `service` by `plan` from the exported source tree at `srcDir`; returns the image tag and id. The
 * tag is named from the app's uid and the image labelled with it and the installation (runtime/names.ts).
 */
export async function buildService(
  deps: BuildDeps,
  input: {
    app: { uid: string; name: string };
    instance: string;
    release: number;
    service: Service;
    plan: BuildPlan;
    srcDir: string;
  },
): Promise<{ image: string; imageId: string }> {
  const { app, release, service, plan, srcDir } = input;
  const contextDir = resolve(srcDir, plan.context);
  if (contextDir !== srcDir && !contextDir.startsWith(srcDir + sep))
    throw new Error(say.contextOutside(service.name, plan.context));
  let dockerfile: string;
  if (plan.kind === 'generated') {
    dockerfile = GENERATED_DOCKERFILE;
    await writeFile(join(contextDir, dockerfile), plan.dockerfileText);
    deps.log(say.buildingGenerated(service.name, service.runtime, service.framework));
  } else {
    dockerfile = plan.dockerfilePath;
    deps.log(say.buildingDockerfile(service.name, plan.context, dockerfile));
  }
  const image = imageTag({ uid: app.uid, service: service.name, release });
  const { imageId } = await deps.docker.build({
    contextDir,
    dockerfile,
    tag: image,
    // No per-release label: a label that changes every build would defeat the layer cache's last steps.
    labels: buildLabels({ ...app, instance: input.instance, service: service.name }),
    memoryMb: deps.config.buildMemoryMb,
    networkMode: deps.config.network === 'host' ? 'host' : undefined,
    onLine: (line) => deps.log(say.dockerOutput(line)),
  });
  deps.log(say.builtImage(service.name, image, imageId));
  return { image, imageId };
}
