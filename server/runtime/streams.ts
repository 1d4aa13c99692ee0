// Pure stream helpers for Docker API output: JSON-lines splitting, build-event → log lines, log demux.
import { StringDecoder } from 'node:string_decoder';

export interface LineSplitter {
  write(chunk: Buffer | Uint8Array | string): void;
  /** Flushes a trailing line without newline. */
  end(): void;
}

/**
 * Docker progress streams are JSON objects separated by "\r\n", delivered in chunks split at arbitrary byte
 * boundaries (several objects per chunk, half an object, or half a UTF-8 character). A line that is not
 * valid JSON is passed on as { stream: line } so nothing the engine printed is lost.
 */
export function createJsonLineSplitter(onObject: (obj: Record<string, unknown>) => void): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  const emit = (raw: string) => {
    const line = raw.trim();
    if (!line) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      obj = undefined;
    }
    onObject(
      obj && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>) : { stream: line },
    );
  };
  return {
    write(chunk) {
      buf += typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk));
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        emit(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    },
    end() {
      buf += decoder.end();
      emit(buf);
      buf = '';
    },
  };
}

// Terminal control sequences a build or an app prints (colours, cursor moves, window titles, hyperlinks,
// bells) must not reach the release log, the console or the pusher's terminal raw: a line is stored as text.
// String sequences (OSC, DCS, SOS, PM, APC) run to BEL or ST; CSI to its final byte; other ESC sequences are
// ESC, intermediates, final; then every remaining C0/C1 control but the tab goes.
const STRING_SEQ = /(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g;
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g;
const ESC = /\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
const CONTROLS = /[\x00-\x08\x0a-\x0c\x0e-\x1f\x7f-\x9f]/g;

/**
 * One output line as plain text: control sequences and characters removed (tabs kept). A carriage return
 * rewrites the line on a terminal (progress bars), so the text after the last one that is not empty wins.
 */
export function stripControls(line: string): string {
  if (!/[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(line)) return line;
  const text = line.replace(STRING_SEQ, '').replace(CSI, '').replace(ESC, '').replace(CONTROLS, '');
  const parts = text.split('\r');
  for (let i = parts.length - 1; i > 0; i--) if (parts[i] !== '') return parts[i];
  return parts[0];
}

export interface BuildEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

export interface BuildLog {
  push(ev: BuildEvent): void;
  /** Flushes partial output; imageId from aux.ID (or "Successfully built"), error from an {error} event. */
  end(): { imageId: string | null; error: string | null };
}

/**
 * Turns build events into log lines. `stream` text may carry several lines or a partial line (RUN output
 * without newline), so it is buffered until a newline. Build failures arrive as {error, errorDetail}
 * events on a successful HTTP stream, never as stream errors.
 */
export function createBuildLog(onLine: (line: string) => void): BuildLog {
  let partial = '';
  let imageId: string | null = null;
  let error: string | null = null;
  const line = (l: string) => {
    const clean = stripControls(l.replace(/\r$/, ''));
    const m = /^Successfully built ([0-9a-f]{6,64})$/.exec(clean.trim());
    if (m && !imageId) imageId = m[1];
    onLine(clean);
  };
  const flush = () => {
    if (partial) line(partial);
    partial = '';
  };
  return {
    push(ev) {
      if (typeof ev.stream === 'string') {
        const parts = (partial + ev.stream).split('\n');
        partial = parts.pop() ?? '';
        parts.forEach(line);
      }
      if (typeof ev.status === 'string' && !ev.progress) {
        flush();
        line(ev.id ? `${ev.id}: ${ev.status}` : ev.status);
      }
      if (ev.aux && typeof ev.aux.ID === 'string') imageId = ev.aux.ID;
      if (ev.error !== undefined || ev.errorDetail !== undefined) {
        flush();
        error = String(ev.errorDetail?.message || ev.error || 'unknown build error').trim();
        line(`ERROR: ${error}`);
      }
    },
    end() {
      flush();
      return { imageId, error };
    },
  };
}

/**
 * Demultiplexes Docker's attach/logs framing (8-byte header: stream type, 3 zero bytes, uint32 BE size).
 * A buffer that does not start with a valid header (TTY containers) is returned as plain text.
 */
export function demuxDockerStream(buf: Buffer): { stdout: string; stderr: string; combined: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const all: Buffer[] = [];
  const framed = buf.length >= 8 && buf[0] <= 2 && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  if (!framed) {
    const s = buf.toString('utf8');
    return { stdout: s, stderr: '', combined: s };
  }
  let off = 0;
  while (off + 8 <= buf.length) {
    const type = buf[off];
    const size = buf.readUInt32BE(off + 4);
    const payload = buf.subarray(off + 8, Math.min(off + 8 + size, buf.length));
    (type === 2 ? err : out).push(payload);
    all.push(payload);
    off += 8 + size;
  }
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    combined: Buffer.concat(all).toString('utf8'),
  };
}
