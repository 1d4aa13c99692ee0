// Dockerfile → the facts that win over inference for its folder: exposed port, health check, command, base images.
import type { Ctx } from './context.ts';
import { healthInSource } from './source.ts';
import { join } from './tree.ts';

export interface DockerfileInfo {
  file: string; // path relative to the snapshot root
  bases: string[]; // external base images (stage aliases removed)
  port: number | null;
  healthPath: string | null;
  user: string | null; // USER of the final stage
  cmd: string | null;
  /** Paths the Dockerfile COPYs from its context (first argument of COPY/ADD without --from). */
  copies: string[];
}

export const DOCKERFILE_NAMES = [
  'Dockerfile',
  'Containerfile',
  'dockerfile',
  'Dockerfile.prod',
  'Dockerfile.production',
];

export function findDockerfile(ctx: Ctx, dir: string): string | null {
  const n = ctx.tree.first(dir, DOCKERFILE_NAMES);
  return n ? join(dir, n) : null;
}

const WEB_SERVER_BASE = /^(?:docker\.io\/)?(?:library\/)?(nginx|httpd|caddy|php:[^/]*apache[^/]*)(:|@|$)/;

export function parseDockerfile(text: string, file: string): DockerfileInfo {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const info: DockerfileInfo = { file, bases: [], port: null, healthPath: null, user: null, cmd: null, copies: [] };
  let last = '';
  const sub = (s: string) => s.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (_, a, d, b) => args[a ?? b] ?? d ?? '');
  for (const line of lines) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(line);
    if (!m) continue;
    const op = m[1].toUpperCase();
    const rest = m[2].trim();
    switch (op) {
      case 'ARG': {
        const a = /^(\w+)(?:=(.*))?$/.exec(rest);
        if (a && a[2] !== undefined) args[a[1]] = a[2].replace(/^["']|["']$/g, '');
        break;
      }
      case 'FROM': {
        const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest);
        if (!f) break;
        const img = sub(f[1]);
        last = img.toLowerCase();
        if (!stages.has(img.toLowerCase())) info.bases.push(img);
        if (f[2]) stages.add(f[2].toLowerCase());
        info.user = null;
        info.port = info.port;
        info.cmd = null;
        break;
      }
      case 'EXPOSE': {
        const p = /(\d{2,5})/.exec(sub(rest));
        if (p) info.port = Number(p[1]);
        break;
      }
      case 'USER':
        info.user = sub(rest);
        break;
      case 'HEALTHCHECK':
        info.healthPath = /https?:\/\/[^/\s"']+(\/[^\s"']*)/.exec(rest)?.[1] ?? healthInSource(rest) ?? info.healthPath;
        break;
      case 'CMD':
      case 'ENTRYPOINT':
        info.cmd = execForm(rest);
        break;
      case 'COPY':
      case 'ADD': {
        if (/--from=/.test(rest)) break;
        const parts = (rest.startsWith('[') ? execForm(rest).split(' ') : rest.split(/\s+/)).filter(
          (p) => !p.startsWith('--'),
        );
        info.copies.push(...parts.slice(0, -1));
        break;
      }
    }
    if (op === 'ENV') {
      for (const e of rest.matchAll(/(\w+)[= ]("[^"]*"|\S+)/g)) args[e[1]] = e[2].replace(/^"|"$/g, '');
    }
  }
  if (info.port === null) {
    const p = /\bPORT[= ](\d{2,5})\b/.exec(text);
    if (p) info.port = Number(p[1]);
  }
  // Web-server images EXPOSE their port themselves (FROM nginx serving a built frontend).
  if (info.port === null && !stages.has(last) && WEB_SERVER_BASE.test(last)) info.port = 80;
  return info;
}

function execForm(s: string): string {
  if (!s.startsWith('[')) return s;
  try {
    return (JSON.parse(s) as string[]).join(' ');
  } catch {
    return s;
  }
}

/** Recommendations about a Dockerfile: unpinned bases, root user, missing .dockerignore. */
export function dockerfileRecs(ctx: Ctx, info: DockerfileInfo, contextDir: string): void {
  for (const b of info.bases) {
    if (b === 'scratch') continue;
    const tag = /^(?:[^/]+\/)*[^:@/]+(?::([^@]+))?(@sha256:.+)?$/.exec(b);
    if (tag && !tag[2] && (!tag[1] || tag[1] === 'latest')) {
      ctx.rec(
        'medium',
        'unpinned-base-image',
        info.file,
        `${info.file} builds FROM ${b}: pin a version tag (e.g. ${b.split(':')[0]}:<version>) so a rebuild does not silently change the runtime.`,
      );
    }
  }
  if (!info.user || info.user === 'root' || info.user === '0')
    ctx.rec(
      'low',
      'runs-as-root',
      info.file,
      `${info.file} has no non-root USER in its final stage; the process runs as root inside the container.`,
    );
  if (!ctx.tree.has(join(contextDir, '.dockerignore')))
    ctx.rec(
      'low',
      'missing-dockerignore',
      join(contextDir, '.dockerignore'),
      `No .dockerignore next to ${info.file}: the whole folder (including .git, node_modules, .env files) is sent to the build and may end up in the image.`,
    );
}
