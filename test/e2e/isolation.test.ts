// Tenants stay apart, tried by a hostile second user with real parts: Kyozo on its own embedded Postgres (as
// a fresh install runs), real git pushes, real builds and containers. The hostile app probes from a RUN
// step and from its running container. In both network modes nothing the tenant can reach speaks
// Postgres; on a bridge (the default) the tenant reaches neither the first user's replicas nor her names.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startKyozoProcess, type KyozoProcess } from '../support/kyozo.ts';
import { viaProxy } from '../support/net.ts';
import { pushUrl, WorkingCopy } from '../support/gitRepo.ts';
import { execFileSync } from 'node:child_process';
import { probeApp, type ProbeQuery, type ProbeResult } from './probe.ts';

const bridge = process.env.KYOZO_TEST_NETWORK === 'bridge';

const victimApp = {
  Dockerfile: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
  'server.js': `require('http').createServer((q, s) => s.end('alice secret')).listen(Number(process.env.PORT));\nprocess.on('SIGTERM', () => process.exit(0));\n`,
};

async function push(k: KyozoProcess, token: string, app: string, files: Record<string, string>) {
  const wc = new WorkingCopy();
  await wc.write(files);
  await wc.commit(app);
  return wc.push(pushUrl(k.port, token, app));
}

const noPostgres = (r: ProbeResult) => Object.entries(r.pg).filter(([, v]) => v === 'postgres');

describe('tenant isolation', () => {
  let k: KyozoProcess;
  let bobToken: string;
  let socket: string;
  beforeAll(async () => {
    execFileSync('bash', ['scripts/build-stand-ins.sh'], { stdio: 'ignore' });
    k = await startKyozoProcess({}); // no DATABASE_URL: Kyozo's own embedded Postgres
    socket = join(k.dataDir, 'postgres-run', '.s.PGSQL.5432');
    if (bridge) {
      const bob = await api(k, 'POST', '/api/users', { email: 'bob@example.com' });
      expect(bob.status).toBe(201);
      bobToken = bob.json.token;
    } else bobToken = k.token; // host mode is single-user: the one user's own code is the tenant code
    expect((await api(k, 'POST', '/api/apps', { name: 'alice' })).status).toBe(201);
    expect((await push(k, k.token, 'alice', victimApp)).out).toContain('Release v1 is live');
  });
  afterAll(async () => {
    await k?.destroy();
  });

  it("keeps Kyozo's database out of reach of a tenant's build step and running container", async () => {
    const query: ProbeQuery = { sockets: [socket, '/var/run/postgresql/.s.PGSQL.5432'], pg: ['10.213.1.1:5432'] };
    expect((await api(k, 'POST', '/api/apps', { name: 'probe' }, bobToken)).status).toBe(201);
    const out = await push(k, bobToken, 'probe', probeApp(query));
    expect(out.out).toContain('Release v1 is live');
    const build: ProbeResult = JSON.parse((await viaProxy(k.proxyPort, 'probe.localhost', '/build-probe')).body);
    const q = encodeURIComponent(JSON.stringify(query));
    const run: ProbeResult = JSON.parse((await viaProxy(k.proxyPort, 'probe.localhost', `/probe?q=${q}`, 30_000)).body);
    // The probe really looked: the ports listening where it runs (on the host network: Kyozo's own) and the sockets.
    expect(Object.keys(run.pg).length).toBeGreaterThanOrEqual(3);
    expect(run.pg[socket]).toBe('ENOENT');
    expect(noPostgres(build)).toEqual([]);
    expect(noPostgres(run)).toEqual([]);
  });

  it('refuses a compose image: that names an image Kyozo built for another app, naming the service and the rule', async () => {
    const alice = (await api(k, 'GET', '/api/apps/alice')).json;
    const image = alice.services[0].image as string;
    expect((await api(k, 'POST', '/api/apps', { name: 'thief' }, bobToken)).status).toBe(201);
    const compose = `services:\n  stolen:\n    image: ${image}\n`;
    const out = await push(k, bobToken, 'thief', { 'docker-compose.yml': compose });
    expect(out.out).toMatch(
      /service stolen: image \S+ was built by Kyozo for an app; .*KYOZO_ALLOWED_IMAGES.*never another app's build/,
    );
    expect(out.out).not.toContain('is live');
  });

  it.runIf(bridge)(
    "keeps a second user's containers and builds away from the first user's replicas and names",
    async () => {
      const alice = (await api(k, 'GET', '/api/apps/alice')).json;
      const addresses = alice.services.flatMap((s: any) => s.replicas.map((r: any) => `${r.host}:${r.port}`));
      expect(addresses.length).toBeGreaterThan(0);
      expect(addresses[0]).toMatch(/^10\.213\./);
      // The first user's service names (and their app-qualified aliases) on her own network.
      const names = alice.services.flatMap((s: any) => [s.name, `${s.name}.alice`]);
      const query: ProbeQuery = { targets: addresses, names };
      expect((await api(k, 'POST', '/api/apps', { name: 'snoop' }, bobToken)).status).toBe(201);
      expect((await push(k, bobToken, 'snoop', probeApp(query))).out).toContain('Release v1 is live');
      const q = encodeURIComponent(JSON.stringify(query));
      const build: ProbeResult = JSON.parse((await viaProxy(k.proxyPort, 'snoop.localhost', '/build-probe')).body);
      const run: ProbeResult = JSON.parse(
        (await viaProxy(k.proxyPort, 'snoop.localhost', `/probe?q=${q}`, 30_000)).body,
      );
      for (const r of [build, run]) {
        for (const a of addresses)
          expect(['timeout', 'EHOSTUNREACH', 'ECONNREFUSED', 'ENETUNREACH']).toContain(r.targets[a]);
        // A bare name may be the tenant's own service of that name; it must never be one of hers.
        for (const n of names) for (const a of addresses) expect(r.names[n], n).not.toBe(`resolved ${a.split(':')[0]}`);
        expect(r.names[`${alice.services[0].name}.alice`]).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
      }
      // The first user's app still answers through the proxy, as it should.
      expect((await viaProxy(k.proxyPort, 'alice.localhost')).body).toBe('alice secret');
    },
  );
});
