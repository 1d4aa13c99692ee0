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
    expect(configPatchError({ K: 'a\u0000b' })).toBe('K contains a NUL byte, which a config value cannot hold');
    expect(configPatchError({ K: 'a\ud800b' })).toMatch(/^K contains an unpaired surrogate/);
    expect(configPatchError({ K: 'a\udc00' })).toMatch(/^K contains an unpaired surrogate/);
    expect(configPatchError({ EMOJI: 'ok 😀 \u00e9' })).toBeNull();
    expect(configPatchError({ 'A\u0000': 'x' })).toMatch(/must match/);
  });
});
