import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { conditions, transitions, type Subjects } from '../../server/alerts/evaluate.ts';
import { RestartHistory } from '../../server/alerts/subjects.ts';
import {
  DEFAULT_THRESHOLDS,
  effectiveThresholds,
  mergeOverrides,
  validateWebhookUrl,
} from '../../server/alerts/thresholds.ts';
import { backoffMs, WebhookQueue } from '../../server/alerts/webhook.ts';

const svc = (o: Partial<Subjects['services'][number]> = {}) => ({
  app: 'shop',
  service: 'web',
  cpuPct: 10,
  memoryPct: 10,
  requests: 100,
  s5xx: 0,
  p95Ms: 50,
  restartsInWindow: 0,
  ...o,
});
const at = (services: Subjects['services'], extra: Partial<Subjects> = {}) =>
  conditions({ services, deploys: [], diskPct: 50, ...extra }, () => DEFAULT_THRESHOLDS);

describe('threshold evaluation', () => {
  it('fires above the threshold, is clear at or below it, unknown without a value', () => {
    const c = at([svc({ cpuPct: 95, memoryPct: null, s5xx: 6 })]);
    const by = Object.fromEntries(c.map((x) => [x.key, x.firing]));
    expect(by).toMatchObject({
      'cpu:shop:web': true,
      'memory:shop:web': null,
      'error-rate:shop:web': true,
      'p95-latency:shop:web': false,
      'crash-loop:shop:web': false,
      'disk::': false,
    });
    expect(c.find((x) => x.kind === 'cpu')!.message).toBe('shop/web: CPU 95% (threshold 90%)');
  });

  it('quiet services neither open error-rate/latency alerts nor keep them open', () => {
    const c = at([svc({ requests: 3, s5xx: 3, p95Ms: 9000 })]);
    expect(c.find((x) => x.kind === 'error-rate')!.firing).toBeNull();
    expect(at([svc({ requests: 0, p95Ms: null })]).find((x) => x.kind === 'p95-latency')!.firing).toBe(false);
  });

  it('deploy-failed follows the latest finished release; disk is host-wide', () => {
    const c = at([], {
      deploys: [
        { app: 'a', failed: true, version: 3, error: 'build failed' },
        { app: 'b', failed: false, version: 2 },
      ],
      diskPct: 97,
    });
    expect(c.map((x) => [x.key, x.firing])).toEqual([
      ['deploy-failed:a:', true],
      ['deploy-failed:b:', false],
      ['disk::', true],
    ]);
  });

  it('opens once per key (dedupe) and resolves when the value is back or the subject is gone', () => {
    const hot = at([svc({ cpuPct: 99 })]);
    const t1 = transitions(hot, []);
    expect(t1.toOpen.map((c) => c.key)).toEqual(['cpu:shop:web']);
    const open = [{ id: 1, key: 'cpu:shop:web' }];
    expect(transitions(hot, open)).toEqual({ toOpen: [], toResolve: [] }); // second cycle: still one alert
    expect(transitions(at([svc({ cpuPct: null })]), open).toResolve).toEqual([]); // unknown: keep
    expect(transitions(at([svc({ cpuPct: 5 })]), open).toResolve.map((r) => r.alert.id)).toEqual([1]);
    expect(transitions(at([]), open).toResolve).toEqual([{ alert: open[0], condition: null }]); // app gone
  });

  it('per-app overrides win over defaults; bad patches are rejected with the field named', () => {
    expect(effectiveThresholds({ cpuPct: 50 })).toEqual({ ...DEFAULT_THRESHOLDS, cpuPct: 50 });
    expect(mergeOverrides({ cpuPct: 50, p95Ms: 100 }, { cpuPct: null, memoryPct: 0.5 })).toEqual({
      p95Ms: 100,
      memoryPct: 0.5,
    });
    expect(() => mergeOverrides({}, { cpu: 1 })).toThrow(/thresholds.cpu is not a threshold/);
    expect(() => mergeOverrides({}, { p95Ms: -1 })).toThrow(/thresholds.p95Ms/);
    expect(validateWebhookUrl('http://127.0.0.1:9/x')).toBe('http://127.0.0.1:9/x');
    expect(validateWebhookUrl(null)).toBeNull();
    expect(() => validateWebhookUrl('file:///etc/passwd')).toThrow(/webhookUrl/);
  });

  it('crash loop: restarts within the window only', () => {
    const h = new RestartHistory(60_000);
    expect(h.record('r', 5, 0)).toBe(0); // old restarts are not a loop
    expect(h.record('r', 7, 30_000)).toBe(2);
    expect(h.record('r', 8, 70_000)).toBe(1); // the sample at 0 left the window
    expect(h.record('r', 0, 80_000)).toBe(0); // counter reset
  });
});

describe('webhook delivery', () => {
  it('backoff doubles with jitter and a cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 500, () => 0.5))).toEqual([100, 200, 400, 500]);
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(800);
  });

  it('retries 5xx with backoff, gives up on 4xx, never blocks enqueue', async () => {
    const hits: { at: number; body: string }[] = [];
    let failures = 2;
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        hits.push({ at: Date.now(), body });
        if (req.url === '/bad') return res.writeHead(400).end();
        res.writeHead(failures-- > 0 ? 503 : 204).end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const q = new WebhookQueue({ baseDelayMs: 100, maxAttempts: 5, log: () => {} });
    let delivered = 0;
    const r = q.enqueue({
      url: `${base}/ok`,
      body: { n: 1 },
      onDelivered: () => {
        delivered++;
      },
    });
    q.enqueue({ url: `${base}/bad`, body: { n: 2 } });
    expect(r).toBeUndefined(); // returns at once, nothing to await
    expect(hits).toHaveLength(0);
    for (let i = 0; i < 100 && q.pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    srv.close();
    const ok = hits.filter((h) => h.body === '{"n":1}');
    expect(ok).toHaveLength(3);
    expect(ok[1].at - ok[0].at).toBeGreaterThanOrEqual(70);
    expect(ok[2].at - ok[1].at).toBeGreaterThanOrEqual(150);
    expect(delivered).toBe(1);
    expect(hits.filter((h) => h.body === '{"n":2}')).toHaveLength(1);
    expect({ delivered: q.delivered, failed: q.failed }).toEqual({ delivered: 1, failed: 1 });
  });
});
