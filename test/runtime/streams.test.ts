import { describe, expect, it } from 'vitest';
import { createBuildLog, createJsonLineSplitter, demuxDockerStream, type BuildEvent } from '../../server/runtime/streams.ts';

const events = [
  { stream: 'Step 1/2 : FROM kyozo/static-standin:1\n' },
  { stream: ' ---> e03c666819fb\n' },
  { stream: 'héllo wörld ✓ 日本語 🚀\n' },
  { aux: { ID: 'sha256:abc' } },
  { status: 'Downloading', id: 'layer1', progress: '[==>  ]' },
  { error: 'boom', errorDetail: { message: 'boom' } },
];
const bytes = Buffer.from(events.map((e) => JSON.stringify(e) + '\r\n').join(''), 'utf8');

function collect(chunks: Buffer[]): unknown[] {
  const out: unknown[] = [];
  const s = createJsonLineSplitter((o) => out.push(o));
  chunks.forEach((c) => s.write(c));
  s.end();
  return out;
}

describe('createJsonLineSplitter', () => {
  it('parses whole input in one chunk', () => {
    expect(collect([bytes])).toEqual(events);
  });

  it('survives a split at every byte offset (including inside multi-byte UTF-8)', () => {
    for (let i = 0; i <= bytes.length; i++) {
      expect(collect([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(events);
    }
  });

  it('survives one byte per chunk', () => {
    expect(collect([...bytes].map((b) => Buffer.from([b])))).toEqual(events);
  });

  it('flushes a trailing line without newline and wraps non-JSON lines', () => {
    expect(collect([Buffer.from('{"stream":"a"}\nnot json\n{"stream":"b"}')])).toEqual([{ stream: 'a' }, { stream: 'not json' }, { stream: 'b' }]);
  });
});

describe('createBuildLog', () => {
  function run(evs: BuildEvent[]) {
    const lines: string[] = [];
    const log = createBuildLog((l) => lines.push(l));
    evs.forEach((e) => log.push(e));
    return { lines, ...log.end() };
  }

  it('splits stream text into lines, joins partial lines, takes aux.ID', () => {
    const r = run([{ stream: 'Step 1/3 : FROM x\n ---> 123\n' }, { stream: 'partial ' }, { stream: 'line\nlast' }, { aux: { ID: 'sha256:feed' } }]);
    expect(r.lines).toEqual(['Step 1/3 : FROM x', ' ---> 123', 'partial line', 'last']);
    expect(r).toMatchObject({ imageId: 'sha256:feed', error: null });
  });

  it('falls back to "Successfully built" and reports status lines without progress bars', () => {
    const r = run([{ status: 'Pulling fs layer', id: 'abc' }, { status: 'x', progress: '[=>]' }, { stream: 'Successfully built 0123456789ab\r\n' }]);
    expect(r.lines).toEqual(['abc: Pulling fs layer', 'Successfully built 0123456789ab']);
    expect(r.imageId).toBe('0123456789ab');
  });

  it('turns an {error} event into a failure with Docker text', () => {
    const msg = "The command '/bin/sh -c exit 3' returned a non-zero code: 3";
    const r = run([{ stream: 'Step 2/2 : RUN exit 3\n' }, { errorDetail: { message: msg, code: 3 }, error: msg }]);
    expect(r.error).toBe(msg);
    expect(r.lines.at(-1)).toBe(`ERROR: ${msg}`);
  });
});

describe('demuxDockerStream', () => {
  const frame = (type: number, s: string) => {
    const p = Buffer.from(s);
    const h = Buffer.alloc(8);
    h[0] = type;
    h.writeUInt32BE(p.length, 4);
    return Buffer.concat([h, p]);
  };
  it('separates stdout and stderr frames', () => {
    const r = demuxDockerStream(Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'out2\n')]));
    expect(r).toEqual({ stdout: 'out1\nout2\n', stderr: 'err1\n', combined: 'out1\nerr1\nout2\n' });
  });
  it('passes TTY (unframed) output through', () => {
    expect(demuxDockerStream(Buffer.from('plain text\n')).combined).toBe('plain text\n');
    expect(demuxDockerStream(Buffer.alloc(0)).combined).toBe('');
  });
});
