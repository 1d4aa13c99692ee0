import { describe, expect, it } from 'vitest';
import { INT4_MAX, intError, parseIntText } from '../server/ints.ts';

describe('intError', () => {
  it('accepts safe integers within the bounds and names the field otherwise', () => {
    expect(intError(1, 'version', 1, INT4_MAX)).toBeNull();
    expect(intError(INT4_MAX, 'version', 1, INT4_MAX)).toBeNull();
    for (const v of [0, INT4_MAX + 1, 1e308, 1.5, NaN, Infinity, '1', null, undefined, 2 ** 53])
      expect(intError(v, 'version', 1, INT4_MAX), String(v)).toBe(
        'version must be an integer between 1 and 2147483647',
      );
  });
});

describe('parseIntText', () => {
  it('reads decimal integers only', () => {
    expect(parseIntText('42')).toBe(42);
    expect(parseIntText(' -7 ')).toBe(-7);
    for (const s of ['', '1e3', '2.0', '0x10', 'abc', '1'.repeat(17), 'Infinity']) expect(parseIntText(s), s).toBeNaN();
  });
});
