import { describe, expect, it } from 'vitest';
import { normalizeTimestamp, parseTimestampedLogs, timestampSeconds } from '../../server/runtime/logLines.ts';

const frame = (type: 1 | 2, s: string) => {
  const p = Buffer.from(s);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(p.length, 4);
  return Buffer.concat([h, p]);
};

describe('parseTimestampedLogs', () => {
  it('demuxes streams, joins split frames, normalises fractions, sorts by time', () => {
    const buf = Buffer.concat([
      frame(1, '2024-05-01T10:00:00.5Z hello '),
      frame(1, 'world\n'),
      frame(2, '2024-05-01T10:00:00.25Z oops\r\n'),
      frame(1, '2024-05-01T10:00:01.123456789Z\n'),
    ]);
    expect(parseTimestampedLogs(buf)).toEqual([
      { at: '2024-05-01T10:00:00.250000000Z', stream: 'stderr', line: 'oops' },
      { at: '2024-05-01T10:00:00.500000000Z', stream: 'stdout', line: 'hello world' },
      { at: '2024-05-01T10:00:01.123456789Z', stream: 'stdout', line: '' },
    ]);
  });
  it('raw (tty) output is stdout; text compare of normalised stamps is time order', () => {
    expect(parseTimestampedLogs(Buffer.from('2024-05-01T10:00:00Z a\n'))).toEqual([
      { at: '2024-05-01T10:00:00.000000000Z', stream: 'stdout', line: 'a' },
    ]);
    expect(normalizeTimestamp('2024-05-01T10:00:00.12345Z')! > normalizeTimestamp('2024-05-01T10:00:00.123451Z')!).toBe(
      false,
    );
    expect(normalizeTimestamp('not a time')).toBeNull();
    expect(timestampSeconds('2024-05-01T10:00:00.500000000Z')).toBe(Date.parse('2024-05-01T10:00:00Z') / 1000 + 0.5);
  });
});
