import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextFiles } from '../../server/runtime/context.ts';
import { createIgnoreMatcher } from '../../server/runtime/dockerignore.ts';
import { allocatePort, canBind, candidatePorts } from '../../server/runtime/ports.ts';

describe('candidatePorts (pure)', () => {
  it('walks the range from start, wrapping, skipping ports in use', () => {
    expect([...candidatePorts(new Set([11, 13]), [10, 14], 12)]).toEqual([12, 14, 10]);
    expect([...candidatePorts(new Set(), [10, 12])]).toEqual([10, 11, 12]);
    expect([...candidatePorts(new Set([10]), [10, 10])]).toEqual([]);
    expect(() => [...candidatePorts(new Set(), [5, 1])]).toThrow(/invalid port range/);
  });
});

describe('allocatePort', () => {
  it('skips assigned ports and ports that fail the bind check', async () => {
    const port = await allocatePort(new Set([20000]), [20000, 20005], {
      start: 20000,
      bindCheck: async (p) => p !== 20001,
    });
    expect(port).toBe(20002);
  });

  it('gives up clearly when nothing is free', async () => {
    await expect(allocatePort(new Set(), [20000, 20002], { bindCheck: async () => false })).rejects.toThrow(
      /no free port in 20000-20002/,
    );
  });

  it('checks a real bind on 127.0.0.1', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const busy = (srv.address() as net.AddressInfo).port;
    expect(await canBind(busy)).toBe(false);
    const got = await allocatePort(new Set(), [busy, Math.min(busy + 50, 65535)], { start: busy });
    expect(got).not.toBe(busy);
    expect(await canBind(got)).toBe(true);
    srv.close();
  });
});

describe('dockerignore', () => {
  it('matches Docker-style patterns, last match wins, .git always out', () => {
    const ign = createIgnoreMatcher('# comment\nnode_modules\n*.log\n**/tmp\nsecret?.txt\n!keep.log\n/dist/\n', [
      'Dockerfile',
    ]);
    expect(ign('node_modules')).toBe(true);
    expect(ign('node_modules/a/b.js')).toBe(true);
    expect(ign('src/node_modules')).toBe(false); // Docker patterns are anchored at the root
    expect(ign('app.log')).toBe(true);
    expect(ign('keep.log')).toBe(false);
    expect(ign('src/app.log')).toBe(false);
    expect(ign('a/b/tmp/x')).toBe(true);
    expect(ign('tmp')).toBe(true);
    expect(ign('secret1.txt')).toBe(true);
    expect(ign('dist/index.js')).toBe(true);
    expect(ign('.git/HEAD')).toBe(true);
    expect(ign('Dockerfile')).toBe(false);
    expect(ign('src/index.js')).toBe(false);
  });

  it('lists the files a build context would send', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyozo-ctx-'));
    for (const f of ['Dockerfile', '.dockerignore', 'index.js', '.git/HEAD', 'node_modules/x/i.js', 'logs/a.log']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), f === '.dockerignore' ? 'node_modules\nlogs\nDockerfile\n' : 'x');
    }
    expect(contextFiles(dir)).toEqual(['.dockerignore', 'Dockerfile', 'index.js']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
