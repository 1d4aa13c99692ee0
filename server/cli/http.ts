// The JSON API client of `kyozo`'s client commands (a fetch wrapper that turns failures into messages naming the
// server) and CliError, the failure a command reports. Imports nothing from the dispatcher or the commands.

/** A failure to report: message on stderr, exit `code` (1 unless said otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export interface Api {
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** GETs a text endpoint and hands over each line as it arrives (for ?follow=1 streams). */
  lines(path: string, onLine: (line: string) => void): Promise<void>;
}

function unreachable(url: string, e: unknown): CliError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why =
    cause?.code === 'ECONNREFUSED' ? 'connection refused' : (cause?.code ?? cause?.message ?? (e as Error).message);
  return new CliError(`could not reach Kyozo at ${url} (${why}). Is it running? Set KYOZO_URL or pass --url.`);
}

export function createApi(url: string, token: string): Api {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw unreachable(url, e);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let msg: string | undefined;
    try {
      msg = JSON.parse(text).error;
    } catch {
      /* not JSON */
    }
    msg ??= `${method} ${path} answered ${res.status} ${res.statusText}`;
    throw new CliError(res.status === 401 ? `${msg} (check KYOZO_TOKEN or --token)` : msg);
  }
  return {
    async call(method, path, body) {
      const text = await (await send(method, path, body)).text();
      try {
        return text ? JSON.parse(text) : null;
      } catch {
        throw new CliError(`${url} did not answer JSON on ${path}; is KYOZO_URL a Kyozo server?`);
      }
    },
    async lines(path, onLine) {
      const reader = (await send('GET', path)).body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          throw unreachable(url, e);
        }
        buf += dec.decode(chunk.value, { stream: !chunk.done });
        const parts = buf.split('\n');
        buf = chunk.done ? '' : parts.pop()!;
        for (const l of chunk.done && parts.at(-1) === '' ? parts.slice(0, -1) : parts) onLine(l);
        if (chunk.done) return;
      }
    },
  };
}
