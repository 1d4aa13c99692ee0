import { describe, expect, it } from 'vitest';
import { maskSecrets, secretValues } from '../../server/logs/mask.ts';

describe('secret masking', () => {
  it('masks every config value of 4+ characters, longest first', () => {
    const secrets = secretValues({ A: 'abc', TOKEN: 'sk_live_123', URL: 'postgres://u:sk_live_123@db' });
    expect(secrets).toEqual(['postgres://u:sk_live_123@db', 'sk_live_123']);
    expect(maskSecrets('connect postgres://u:sk_live_123@db then sk_live_123 abc', secrets)).toBe(
      'connect **** then **** abc',
    );
  });
});
