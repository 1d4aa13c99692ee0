import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAnalyze } from '../../server/cli/analyze.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function capture() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  return { out: () => out, err: () => err };
}
afterEach(() => vi.restoreAllMocks());

describe('kyozo analyze', () => {
  it('--json prints exactly the contract shape and nothing else', async () => {
    const c = capture();
    expect(await runAnalyze([join(FIXTURES, 'compose-stack'), '--json'])).toBe(0);
    const t = JSON.parse(c.out());
    expect(Object.keys(t)).toEqual(['services', 'dependencies', 'recommendations', 'stats']);
    expect(Object.keys(t.stats)).toEqual(['files', 'durationMs']);
    for (const s of t.services) {
      for (const k of [
        'name',
        'path',
        'type',
        'runtime',
        'framework',
        'confidence',
        'evidence',
        'port',
        'healthPath',
        'processes',
        'build',
        'resources',
      ])
        expect(s).toHaveProperty(k);
      expect(s).not.toHaveProperty('plan');
    }
    expect(t.dependencies[0]).toEqual({ from: 'web', to: 'api', reason: 'depends_on in docker-compose.yml' });
    expect(c.err()).toBe('');
  });

  it('--json output never contains committed secret values', async () => {
    const c = capture();
    expect(await runAnalyze([join(FIXTURES, 'node-express'), '--json'])).toBe(0);
    expect(c.out()).not.toMatch(/hunter2|sk_test_FAKE/);
    expect(JSON.parse(c.out()).recommendations.find((r: any) => r.code === 'secret-committed').path).toBe('.env');
  });

  it('prints a readable summary: services table, evidence, dependencies, recommendations', async () => {
    const c = capture();
    expect(await runAnalyze([join(FIXTURES, 'frontend-backend')])).toBe(0);
    const out = c.out();
    expect(out).toMatch(/SERVICE\s+TYPE\s+RUNTIME\s+PORT\s+CONF\s+PATH\s+BUILD/);
    expect(out).toMatch(/backend\s+web\s+python\/flask\s+5000\s+93%\s+backend\s+generated/);
    expect(out).toContain('frontend -> backend');
    expect(out).toContain('Recommendations');
  });

  it('fails cleanly on a missing folder and on unknown options', async () => {
    const c = capture();
    expect(await runAnalyze([join(FIXTURES, 'does-not-exist')])).toBe(1);
    expect(c.err()).toMatch(/no such folder/);
    expect(await runAnalyze(['--nope'])).toBe(2);
  });
});
