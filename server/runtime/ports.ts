// Host-port allocation for host-network replicas: a pure candidate walk plus a real bind check.
import net from 'node:net';

export type PortRange = readonly [number, number];
export const DEFAULT_PORT_RANGE: PortRange = [20000, 29999];

/**
 * Pure: ports of the range in scan order starting at `start` (wrapping around), skipping `inUse`.
 * Starting at a random offset keeps two Kyozo processes from racing for the same first port.
 */
export function* candidatePorts(
  inUse: ReadonlySet<number>,
  range: PortRange = DEFAULT_PORT_RANGE,
  start = range[0],
): Generator<number> {
  const [lo, hi] = range;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1 && hi <= 65535 && lo <= hi)) {
    throw new RangeError(`invalid port range ${lo}-${hi}`);
  }
  const size = hi - lo + 1;
  const first = Math.min(Math.max(start, lo), hi) - lo;
  for (let k = 0; k < size; k++) {
    const port = lo + ((first + k) % size);
    if (!inUse.has(port)) yield port;
  }
}

/** Resolves true when `port` can be bound on `host` right now (the socket is closed again at once). */
export function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export interface AllocateOptions {
  host?: string;
  /** Give up after this many bind attempts. */
  maxAttempts?: number;
  /** Override the random start (tests). */
  start?: number;
  bindCheck?: (port: number, host: string) => Promise<boolean>;
}

/**
 * A free host port outside `inUse` (ports Kyozo already assigned, even if their replica has not bound yet).
 * The caller should add the result to its in-use set before awaiting anything else.
 */
export async function allocatePort(
  inUse: ReadonlySet<number>,
  range: PortRange = DEFAULT_PORT_RANGE,
  opts: AllocateOptions = {},
): Promise<number> {
  const host = opts.host ?? '127.0.0.1';
  const check = opts.bindCheck ?? canBind;
  const maxAttempts = opts.maxAttempts ?? 200;
  const start = opts.start ?? range[0] + Math.floor(Math.random() * (range[1] - range[0] + 1));
  let attempts = 0;
  for (const port of candidatePorts(inUse, range, start)) {
    if (attempts >= maxAttempts) break;
    attempts++;
    if (await check(port, host)) return port;
  }
  throw new Error(`no free port in ${range[0]}-${range[1]} (${inUse.size} assigned, ${attempts} tried)`);
}
