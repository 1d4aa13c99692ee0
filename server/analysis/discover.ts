// Folder discovery without an authoritative compose file: the root, workspace members, or each folder that runs.
import type { Ctx } from './context.ts';
import { detectDir, type DirDetection } from './detect.ts';
import { defaultResources } from './images.ts';
import type { Draft } from './links.ts';
import type { Service } from './types.ts';
import { NON_SERVICE_DIRS, basename, dirname, display } from './tree.ts';
import { dockerfileRecs } from './dockerfile.ts';
import { findWorkspaces } from './workspaces.ts';

const MAX_DEPTH = 4;
type NamedDraft = Draft & { hint: string; parent?: string };

export function discover(ctx: Ctx, rootName?: string): NamedDraft[] {
  const ws = findWorkspaces(ctx);
  const members = new Set(ws.members);
  const out: NamedDraft[] = [];
  const visit = (dir: string, depth: number) => {
    if (dir !== '' && NON_SERVICE_DIRS.has(basename(dir))) return;
    const wsRoot = dir === '' && members.size > 0;
    const det = detectDir(ctx, dir, {
      workspaceRoot: members.has(dir) && ws.nodeRoot ? '' : null,
      workspaceNames: ws.names,
    });
    if (det && (!wsRoot || det.runtime === 'docker')) {
      if (det.runs) {
        out.push(draft(ctx, dir, det, rootName, ws.evidence, members.has(dir)));
        return;
      }
      if (dir !== '') return; // a library or tooling folder owns its subtree
    }
    if (depth >= MAX_DEPTH) return;
    for (const c of ctx.tree.childDirs(dir)) visit(dir ? `${dir}/${c}` : c, depth + 1);
  };
  visit('', 0);
  return out;
}

export function toService(ctx: Ctx, dir: string, det: DirDetection, evidence: string[] = []): Service {
  const docker = det.dockerfile;
  if (docker) dockerfileRecs(ctx, docker, det.buildContext ?? dir);
  return {
    name: '',
    path: display(dir),
    type: det.type,
    runtime: det.runtime,
    framework: det.framework,
    confidence: Math.round(det.confidence * 100) / 100,
    evidence: [...det.evidence, ...evidence],
    port: det.port,
    healthPath: det.healthPath,
    processes: det.processes,
    build: docker
      ? {
          strategy: 'dockerfile',
          dockerfile: docker.file,
          ...(det.buildContext !== undefined && det.buildContext !== dir ? { context: display(det.buildContext) } : {}),
        }
      : { strategy: 'generated' },
    resources: defaultResources(det.runtime === 'docker' ? 'docker' : det.runtime, det.type, det.memoryMb),
    ...(docker ? {} : { plan: det.plan }),
  };
}

function draft(
  ctx: Ctx,
  dir: string,
  det: DirDetection,
  rootName: string | undefined,
  wsEvidence: string[],
  member: boolean,
): NamedDraft {
  const service = toService(
    ctx,
    dir,
    det,
    member ? [`member of ${wsEvidence[0]?.replace(/ declares workspaces$/, '') ?? 'the workspace'} workspaces`] : [],
  );
  const hint = dir === '' ? (det.name ?? rootName ?? 'web') : basename(dir);
  return {
    service,
    uses: det.uses ?? [],
    localDeps: det.localDeps ?? [],
    pkgName: det.name,
    dir,
    hint,
    parent: dir ? basename(dirname(dir)) || undefined : undefined,
  };
}
