// Reading container json-file logs from disk: new records only, torn last records left for next time,
// rotation restarts from the beginning, the first read takes only the tail.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_READ, parseJsonLog, readJsonLog } from '../../server/logs/jsonFile.ts';

const rec = (log: string, t: string, stream = 'stdout') => JSON.stringify({ log, stream, time: t }) + '\n';

describe('json-file logs', () => {
  it('parses records, normalising time and dropping the newline', () => {
    expect(
      parseJsonLog(
        rec('tick\n', '2026-11-26T22:50:01.5Z') +
          'garbage\n' +
          rec('err\n', '2026-11-26T22:50:02.123456789Z', 'stderr'),
      ),
    ).toEqual([
      { at: '2026-11-26T22:50:01.500000000Z', stream: 'stdout', line: 'tick' },
      { at: '2026-11-26T22:50:02.123456789Z', stream: 'stderr', line: 'err' },
    ]);
  });

  it('reads only what is new, keeps a torn record for later, and restarts after rotation', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kyozo-jsonlog-')), 'c-json.log');
    writeFileSync(f, rec('a\n', '2026-11-26T00:00:01Z') + rec('b\n', '2026-11-26T00:00:02Z'));
    const first = await readJsonLog(f, -1);
    expect(first!.lines.map((l) => l.line)).toEqual(['a', 'b']);
    appendFileSync(f, rec('c\n', '2026-11-26T00:00:03Z') + '{"log":"d');
    const second = await readJsonLog(f, first!.offset);
    expect(second!.lines.map((l) => l.line)).toEqual(['c']);
    appendFileSync(f, '\\n","stream":"stdout","time":"2026-11-26T00:00:04Z"}\n');
    const third = await readJsonLog(f, second!.offset);
    expect(third!.lines.map((l) => l.line)).toEqual(['d']);
    writeFileSync(f, rec('e\n', '2026-11-26T00:00:05Z'));
    expect((await readJsonLog(f, third!.offset))!.lines.map((l) => l.line)).toEqual(['e']);
    expect(await readJsonLog(join(f, 'missing'), 0)).toBeNull();
  });

  it('starts a first read near the end of a big file', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kyozo-jsonlog-')), 'big-json.log');
    const line = rec('x'.repeat(100) + '\n', '2026-11-26T00:00:01Z');
    writeFileSync(f, line.repeat(Math.ceil((MAX_READ * 2) / line.length)) + rec('last\n', '2026-11-26T00:00:09Z'));
    const r = await readJsonLog(f, -1);
    expect(r!.lines.length).toBeLessThan(MAX_READ / line.length + 1);
    expect(r!.lines.at(-1)!.line).toBe('last');
  });
});
