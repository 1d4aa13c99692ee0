// How commands that start a release report it: the version, and with --wait the live log and the outcome
// (exit 1 when the release failed). A fake API stands in for the server; logs' query string is pure.
import { describe, expect, it } from 'vitest';
import { CliError, type Ctx } from '../../server/cli/client.ts';
import { logsQuery } from '../../server/cli/commands/logs.ts';
import { reportRelease } from '../../server/cli/commands/releases.ts';

function fakeCtx(flags: Record<string, string | true>, log: string[], release: { status: string; error?: string }) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: string[] = [];
  const ctx = {
    flags,
    json: flags.json === true,
    out: (t: string) => void out.push(t),
    err: (t: string) => void err.push(t),
    api: {
      async lines(path: string, onLine: (l: string) => void) {
        calls.push(path);
        log.forEach(onLine);
      },
      async call(method: string, path: string) {
        calls.push(`${method} ${path}`);
        return { version: 7, error: null, ...release };
      },
    },
  } as unknown as Ctx;
  return { ctx, out, err, calls };
}

describe('reportRelease', () => {
  it('prints the version and returns at once without --wait', async () => {
    const f = fakeCtx({}, [], { status: 'live' });
    expect(await reportRelease(f.ctx, 'shop', { version: 7, status: 'queued' }, 'Scaling shop')).toBe(0);
    expect(f.out).toEqual(['Scaling shop: release v7 queued']);
    expect(f.calls).toEqual([]);
  });

  it('with --wait follows the log and does not repeat the log\'s own "is live" line', async () => {
    const f = fakeCtx({ wait: true }, ['-----> Release v7', 'Release v7 is live at http://shop.localhost'], {
      status: 'live',
    });
    await reportRelease(f.ctx, 'shop', { version: 7, status: 'queued' }, 'Scaling shop');
    expect(f.calls).toEqual(['/api/apps/shop/releases/7/log?follow=1', 'GET /api/apps/shop/releases/7']);
    expect(f.out).toEqual([
      'Scaling shop: release v7 queued',
      '-----> Release v7',
      'Release v7 is live at http://shop.localhost',
    ]);
  });

  it('with --wait fails (exit 1) with the release error when the release failed', async () => {
    const f = fakeCtx({ wait: true }, ['! Release v7 failed: web: health check timed out'], {
      status: 'failed',
      error: 'web: health check timed out',
    });
    const e = await reportRelease(f.ctx, 'shop', { version: 7, status: 'queued' }, 'Restarting shop').catch((x) => x);
    expect(e).toBeInstanceOf(CliError);
    expect(e).toMatchObject({ code: 1, message: 'release v7 failed: web: health check timed out' });
  });

  it('with --json keeps stdout to the API JSON and sends the log and outcome to stderr', async () => {
    const f = fakeCtx({ wait: true, json: true }, ['log line'], { status: 'live' });
    await reportRelease(f.ctx, 'shop', { version: 7, status: 'queued' }, 'x', {
      config: { A: '****' },
      release: { version: 7 },
    });
    expect(JSON.parse(f.out.join('\n'))).toEqual({ config: { A: '****' }, release: { version: 7 } });
    expect(f.err).toEqual(['log line', 'Release v7 is live']);
  });

  it('reports an operation that started no release by its status', async () => {
    const f = fakeCtx({ wait: true }, [], { status: 'live' });
    await reportRelease(f.ctx, 'shop', { status: 'stopped' }, 'Stopping shop');
    expect(f.out).toEqual(['Stopping shop: stopped']);
    expect(f.calls).toEqual([]);
  });
});

describe('logsQuery', () => {
  it('maps flags to the query of GET /logs', () => {
    expect(logsQuery({})).toBe('');
    expect(logsQuery({ service: 'web', tail: '5', follow: true, json: true })).toBe('?service=web&tail=5&follow=1');
  });
});
