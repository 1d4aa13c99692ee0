// Formatting helpers shared by the views (pure).
export function ago(d: Date | string | null | undefined, now = Date.now()): string {
  if (!d) return '—';
  const s = Math.round((now - new Date(d).getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function duration(start: Date | string | null | undefined, end: Date | string | null | undefined): string {
  if (!start) return '—';
  const ms = (end ? new Date(end).getTime() : Date.now()) - new Date(start).getTime();
  if (ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

export const pct = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n < 10 ? n.toFixed(1) : Math.round(n)}%`;

export const isoTime = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : '');

export const shortTime = (d: Date | string | null | undefined) =>
  d ? new Date(d).toISOString().replace('T', ' ').slice(0, 19) : '—';

/** Badge class for a status word (release, app, replica, alert severity, log level). */
export function tone(status: string | null | undefined): string {
  switch (status) {
    case 'live':
    case 'running':
    case 'ok':
    case 'info':
      return 'good';
    case 'failed':
    case 'crashed':
    case 'error':
    case 'high':
    case 'critical':
      return 'bad';
    case 'queued':
    case 'building':
    case 'deploying':
    case 'starting':
      return 'busy';
    case 'warning':
    case 'medium':
    case 'degraded':
      return 'warn';
    default:
      return 'muted';
  }
}
