import { describe, expect, it } from 'vitest';
import { encodedForms, maskSecrets, secretValues } from '../../server/logs/mask.ts';

describe('secret masking', () => {
  it('masks every config value of 4+ characters, longest first', () => {
    const secrets = secretValues({ A: 'abc', TOKEN: 'sk_live_123', URL: 'postgres://u:sk_live_123@db' });
    expect(secrets).toEqual(expect.arrayContaining(['postgres://u:sk_live_123@db', 'sk_live_123']));
    expect(secrets).not.toContain('abc');
    expect(secrets.map((s) => s.length)).toEqual([...secrets.map((s) => s.length)].sort((a, b) => b - a));
    expect(maskSecrets('connect postgres://u:sk_live_123@db then sk_live_123 abc', secrets)).toBe(
      'connect **** then **** abc',
    );
  });

  it('keeps masking short values exactly, without encoded forms', () => {
    expect(secretValues({ PIN: '12345' })).toEqual(['12345']);
    expect(encodedForms('12345')).toEqual([]);
  });

  it('masks a value percent-encoded', () => {
    const secret = 'p@ss w/rd&more';
    const s = secretValues({ PASSWORD: secret });
    expect(maskSecrets(`GET /login?pw=${encodeURIComponent(secret)} 200`, s)).toBe('GET /login?pw=**** 200');
    expect(maskSecrets(`form pw=${encodeURIComponent(secret).replace(/%20/g, '+')}`, s)).toBe('form pw=****');
    const lower = encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    expect(maskSecrets(`pw=${lower}`, s)).toBe('pw=****');
  });

  it('masks a value base64-encoded, on its own or inside a longer base64 text', () => {
    const secret = 'hunter2-correct-horse';
    const s = secretValues({ DB_PASSWORD: secret });
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    expect(maskSecrets(`token ${b64(secret)}`, s)).not.toContain(b64(secret).slice(0, 20));
    for (const user of ['a', 'ab', 'abc', 'admin']) {
      const header = b64(`${user}:${secret}`);
      const masked = maskSecrets(`Authorization: Basic ${header}`, s);
      expect(masked).toContain('****');
      expect(Buffer.from(masked.split('Basic ')[1].replace(/\*+/g, ''), 'base64').toString()).not.toContain('hunter2');
    }
    const urlSafe = Buffer.from(`x${secret}??>>`).toString('base64url');
    expect(maskSecrets(urlSafe, s)).toContain('****');
  });

  it('never masks with a fragment shorter than 6 characters', () => {
    for (const v of ['abcdef', 'ab%cd/ef', 'ünïcødé'])
      for (const f of encodedForms(v)) expect(f.length).toBeGreaterThanOrEqual(6);
  });
});
