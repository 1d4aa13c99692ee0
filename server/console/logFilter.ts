// Classifies release log lines for the console's filters: which service, which phase (event type) and level.
// Stateful: build output lines belong to the service whose "-----> NAME: building" header came last.
import type { LogFilter, LogLevel, LogLine, LogType } from '../../views/props.ts';

const HEADER = /^----->\s+(.*)$/;
const SERVICE_PREFIX = /^\s*(?:----->\s*)?([a-z][a-z0-9-]{0,62})(?:#\d+)?[: ]/;

export class LogClassifier {
  private type: LogType = 'release';
  private service: string | null = null;
  private n = 0;
  constructor(private services: Set<string>) {}

  /** Services named by the release plus those seen in build headers so far. */
  known(): string[] {
    return [...this.services].sort();
  }

  classify(text: string): LogLine {
    const h = HEADER.exec(text);
    if (h) {
      const body = h[1];
      if (/^Detected\b/.test(body)) {
        this.type = 'analysis';
        this.service = null;
      } else if (/: building\b/.test(body)) {
        this.type = 'build';
        const name = /^([a-z][a-z0-9-]{0,62}): building\b/.exec(body)?.[1];
        if (name) this.services.add(name);
      } else if (/^(Started|Health|Switching|Stopped|Starting)/.test(body)) {
        this.type = 'deploy';
        this.service = null;
      } else if (/^(Release|Exporting)/.test(body)) {
        this.type = 'release';
        this.service = null;
      }
    }
    const m = SERVICE_PREFIX.exec(text);
    let service: string | null = m && this.services.has(m[1]) ? m[1] : null;
    if (h && this.type === 'build') this.service = service;
    if (!service && this.type === 'build') service = this.service;
    return { n: this.n++, text, service, type: this.type, level: levelOf(text) };
  }
}

export function levelOf(text: string): LogLevel {
  if (/^\s*!|\b(error|failed|fatal|panic)\b/i.test(text)) return 'error';
  if (/\b(warn(ing)?|deprecated)\b|\[high\]|\[medium\]/i.test(text)) return 'warning';
  return 'info';
}

const RANK: Record<string, number> = { info: 0, warning: 1, error: 2 };

export function matches(line: LogLine, f: LogFilter): boolean {
  if (f.service && line.service !== f.service) return false;
  if (f.type && line.type !== f.type) return false;
  if (f.level && (RANK[line.level] ?? 0) < (RANK[f.level] ?? 0)) return false;
  return true;
}

export function filterFromQuery(q: (k: string) => string | undefined): LogFilter {
  const pick = (k: string, ok: (v: string) => boolean) => {
    const v = q(k);
    return v && ok(v) ? v : undefined;
  };
  return {
    service: pick('service', (v) => /^[a-z][a-z0-9-]{0,62}$/.test(v)),
    type: pick('type', (v) => ['release', 'analysis', 'build', 'deploy'].includes(v)),
    level: pick('level', (v) => v in RANK),
  };
}

export function filterQuery(f: LogFilter): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `&${s}` : '';
}
