// A hostile tenant's app for the isolation tests: the same probe runs in a Dockerfile RUN step (its result is
// baked into the image) and in the running container (GET /probe). It looks for anything that speaks the
// Postgres protocol (every TCP port listening in its network namespace, the default gateway and given
// targets, given socket paths) and tries given host:port targets (another tenant's replicas) and names.

const PROBE_JS = String.raw`
const net = require('net'), fs = require('fs'), dns = require('dns');
const listening = () => {
  const ports = new Set();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const l of text.split('\n').slice(1)) {
      const c = l.trim().split(/\s+/);
      if (c[3] === '0A') ports.add(parseInt(c[1].split(':').pop(), 16));
    }
  }
  return [...ports].slice(0, 300);
};
const gateway = () => {
  try {
    const row = fs.readFileSync('/proc/net/route', 'utf8').split('\n').find((l) => l.split(/\s+/)[1] === '00000000');
    const hex = row.split(/\s+/)[2];
    return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  } catch { return null; }
};
// Postgres answers an SSLRequest with exactly one byte, 'S' or 'N'.
const speak = (opts) => new Promise((resolve) => {
  const s = net.connect(opts);
  let settled = false;
  const done = (r) => { if (!settled) { settled = true; s.destroy(); resolve(r); } };
  s.setTimeout(1500, () => done('timeout'));
  s.on('error', (e) => done(e.code || 'error'));
  s.on('connect', () => s.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])));
  s.on('data', (d) => done(d.length === 1 && (d[0] === 78 || d[0] === 83) ? 'postgres' : 'answered'));
  s.on('close', () => done('closed'));
});
const lookup = (name) => new Promise((r) => dns.lookup(name, (e, a) => r(e ? e.code : 'resolved ' + a)));
async function probe(q) {
  const out = { pg: {}, targets: {}, names: {} };
  const gw = gateway();
  const tcp = listening().map((p) => '127.0.0.1:' + p);
  if (gw) tcp.push(gw + ':5432');
  tcp.push('127.0.0.1:5432', ...(q.pg || []));
  await Promise.all(tcp.map(async (t) => {
    const i = t.lastIndexOf(':');
    out.pg[t] = await speak({ host: t.slice(0, i), port: Number(t.slice(i + 1)) });
  }));
  for (const p of q.sockets || []) out.pg[p] = await speak({ path: p });
  await Promise.all((q.targets || []).map(async (t) => {
    const i = t.lastIndexOf(':');
    out.targets[t] = await speak({ host: t.slice(0, i), port: Number(t.slice(i + 1)) });
  }));
  for (const n of q.names || []) out.names[n] = await lookup(n);
  return out;
}
module.exports = probe;
if (require.main === module) probe(JSON.parse(process.argv[2] || '{}')).then((r) => console.log(JSON.stringify(r)));
`;

const SERVER_JS = String.raw`
const http = require('http'), fs = require('fs'), probe = require('./probe.js');
http.createServer(async (req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/build-probe') return res.end(fs.readFileSync('/app/build-probe.json'));
  if (u.pathname === '/probe') return res.end(JSON.stringify(await probe(JSON.parse(u.searchParams.get('q') || '{}'))));
  res.end('probe app');
}).listen(Number(process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`;

/** The hostile app's files; `buildQuery` is what its RUN step probes (baked into /app/build-probe.json). */
export function probeApp(buildQuery: ProbeQuery = {}): Record<string, string> {
  return {
    Dockerfile: [
      'FROM kyozo/node-standin:20',
      'WORKDIR /app',
      'COPY probe.js server.js ./',
      `RUN node probe.js '${JSON.stringify(buildQuery)}' > /app/build-probe.json`,
      'CMD ["node", "server.js"]',
      '',
    ].join('\n'),
    'probe.js': PROBE_JS,
    'server.js': SERVER_JS,
  };
}

export interface ProbeQuery {
  /** More host:port to check for a Postgres answer. */
  pg?: string[];
  /** Unix socket paths to check for a Postgres answer. */
  sockets?: string[];
  /** host:port the tenant must not reach (another tenant's replicas). */
  targets?: string[];
  /** Names the tenant must not resolve (another tenant's services). */
  names?: string[];
}

export interface ProbeResult {
  pg: Record<string, string>;
  targets: Record<string, string>;
  names: Record<string, string>;
}
