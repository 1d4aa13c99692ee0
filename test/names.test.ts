import { describe, expect, it } from 'vitest';
import { appNameError, configKeyError, serviceUrlKey } from '../server/names.ts';

describe('app names are DNS labels', () => {
  it.each(['a', 'web', 'my-app-2', 'a'.repeat(63)])('accepts %s', (n) => expect(appNameError(n)).toBeNull());
  it.each(['', 'A', '2app', '-x', 'x-', 'my_app', 'a.b', 'a'.repeat(64), '../etc', 'ünï'])('rejects %j', (n) =>
    expect(appNameError(n)).toMatch(/DNS label|end with/),
  );
  it('rejects non-strings with a message naming the field', () =>
    expect(appNameError(42)).toBe('name must be a string'));
});

describe('config keys', () => {
  it('accepts env-style keys and refuses PORT and odd ones', () => {
    expect(configKeyError('DATABASE_URL')).toBeNull();
    expect(configKeyError('PORT')).toMatch(/set by Kyozo/);
    expect(configKeyError('1X')).toMatch(/must match/);
    expect(configKeyError('A-B')).toMatch(/must match/);
  });
  it('derives service discovery keys', () => expect(serviceUrlKey('my-api')).toBe('MY_API_URL'));
});
