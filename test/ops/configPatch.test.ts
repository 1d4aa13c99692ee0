import { describe, expect, it } from 'vitest';
import { applyConfigPatch, configPatchError } from '../../server/ops/releases.ts';

describe('config patches', () => {
  it('sets and unsets keys', () => {
    expect(applyConfigPatch({ A: '1', B: '2' }, { A: null, C: '3' })).toEqual({ B: '2', C: '3' });
  });
  it('names the field at fault', () => {
    expect(configPatchError([])).toMatch(/JSON object/);
    expect(configPatchError({ GREETING: 5 })).toBe('GREETING must be a string or null');
    expect(configPatchError({ 'bad key': 'x' })).toMatch(/bad key/);
    expect(configPatchError({ PORT: '1' })).toMatch(/PORT/);
    expect(configPatchError({ OK: 'x', GONE: null })).toBeNull();
  });
});
