// Docker's timestamped log stream (`timestamps: true`) → lines with their stream and a sortable time.
import type { LogLine } from './port.ts';
import { stripControls } from './streams.ts';

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** RFC 3339 with 0–9 fraction digits → exactly 9 digits, so timestamps compare as text. */
export function normalizeTimestamp(ts: string): string | null {
  const m = TS.exec(ts);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : null;
}

/** Unix seconds (with fraction) of a normalised timestamp, as Docker's `since` expects. */
export function timestampSeconds(ts: string): number {
  return Date.parse(ts.slice(0, 19) + 'Z') / 1000 + Number(`0.${ts.slice(20, 29)}`);
}

function pushLines(out: LogLine[], text: string, stream: LogLine['stream']) {
  for (const raw of text.split('\n')) {
    const l = raw.replace(/\r$/, '');
    if (!l) continue;
    const sp = l.indexOf(' ');
    const at = normalizeTimestamp(sp > 0 ? l.slice(0, sp) : l);
    if (!at) continue; // not a timestamped line (a torn frame): skip rather than misdate
    out.push({ at, stream, line: sp > 0 ? stripControls(l.slice(sp + 1)) : '' });
  }
}

/** Parses a (multiplexed or raw) `docker logs --timestamps` buffer; lines oldest first. */
export function parseTimestampedLogs(buf: Buffer): LogLine[] {
  const framed = buf.length >= 8 && buf[0] <= 2 && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  const out: LogLine[] = [];
  if (!framed) {
    pushLines(out, buf.toString('utf8'), 'stdout');
    return out;
  }
  // Frames can split a line: join consecutive frames of the same stream before splitting.
  let off = 0;
  let cur: { stream: LogLine['stream']; parts: Buffer[] } | null = null;
  const flush = () => {
    if (cur) pushLines(out, Buffer.concat(cur.parts).toString('utf8'), cur.stream);
    cur = null;
  };
  while (off + 8 <= buf.length) {
    const stream = buf[off] === 2 ? 'stderr' : 'stdout';
    const size = buf.readUInt32BE(off + 4);
    const payload = buf.subarray(off + 8, Math.min(off + 8 + size, buf.length));
    if (!cur || cur.stream !== stream) {
      flush();
      cur = { stream, parts: [] };
    }
    cur.parts.push(payload);
    off += 8 + size;
  }
  flush();
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
