import { describe, expect, it } from 'vitest';
import {
  createBuildLog,
  createJsonLineSplitter,
  demuxDockerStream,
  type BuildEvent,
} from '../../server/runtime/streams.ts';

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
    expect(collect([Buffer.from('{"stream":"a"}\nnot json\n{"stream":"b"}')])).toEqual([
      { stream: 'a' },
      { stream: 'not json' },
      { stream: 'b' },
    ]);
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
    const r = run([
      { stream: 'Step 1/3 : FROM x\n ---> 123\n' },
      { stream: 'partial ' },
      { stream: 'line\nlast' },
      { aux: { ID: 'sha256:feed' } },
    ]);
    expect(r.lines).toEqual(['Step 1/3 : FROM x', ' ---> 123', 'partial line', 'last']);
    expect(r).toMatchObject({ imageId: 'sha256:feed', error: null });
  });

  it('falls back to "Successfully built" and reports status lines without progress bars', () => {
    const r = run([
      { status: 'Pulling fs layer', id: 'abc' },
      { status: 'x', progress: '[=>]' },
      { stream: 'Successfully built 0123456789ab\r\n' },
    ]);
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

import { toStats } from '../../server/runtime/docker-build.ts';

describe('Docker stats → ContainerStats', () => {
  it('keeps the cumulative CPU counter of a one-shot sample (no precpu) so CPU % can come from two samples', () => {
    const s = toStats({
      cpu_stats: { cpu_usage: { total_usage: 5_000_000 }, system_cpu_usage: 10, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 0 } },
      memory_stats: { usage: 3000, limit: 8000, stats: { inactive_file: 1000 } },
      pids_stats: { current: 4 },
    } as never);
    expect(s).toEqual({ cpuPercent: null, memoryBytes: 2000, memoryLimitBytes: 8000, pids: 4, cpuUsageNs: 5_000_000 });
  });
});
