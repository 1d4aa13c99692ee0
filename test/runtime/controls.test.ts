// Terminal control sequences from build and app output are stripped before a line is stored or streamed.
import { describe, expect, it } from 'vitest';
import { parseJsonLog } from '../../server/logs/jsonFile.ts';
import { parseTimestampedLogs } from '../../server/runtime/logLines.ts';
import { createBuildLog, stripControls } from '../../server/runtime/streams.ts';

describe('stripControls', () => {
  it('removes CSI colours and cursor moves, OSC titles and hyperlinks, other ESC sequences and C0/C1 controls', () => {
    expect(stripControls('\x1b[1;32mok\x1b[0m done')).toBe('ok done');
    expect(stripControls('\x1b[2K\x1b[1Gnpm \x1b[?25lidle')).toBe('npm idle');
    expect(stripControls('\x1b]0;pwned title\x07after')).toBe('after');
    expect(stripControls('\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ text')).toBe('link text');
    expect(stripControls('\x1bPdevice control\x1b\\x \x1b(B\x1b=y')).toBe('x y');
    expect(stripControls('bell\x07 nul\x00 del\x7f c1\x9b31mred \x85next')).toBe('bell nul del c1red next');
    expect(stripControls('tab\tkept')).toBe('tab\tkept');
    expect(stripControls('plain ünïcode ✓ line')).toBe('plain ünïcode ✓ line');
  });

  it('keeps the last text of a carriage-return progress line', () => {
    expect(stripControls('10%\r50%\r100%')).toBe('100%');
    expect(stripControls('\x1b[33mfetching\x1b[0m\r')).toBe('fetching');
  });
});

describe('control sequences in stored output', () => {
  it('build log lines are plain text, and the image id is still found', () => {
    const lines: string[] = [];
    const log = createBuildLog((l) => lines.push(l));
    log.push({ stream: '\x1b[1mStep 1/2\x1b[0m : FROM node\n\x1b]0;title\x07npm \x1b[31mWARN\x1b[39m old\n' });
    log.push({ stream: 'Successfully built \x1b[32mabc123def456\x1b[0m\n' });
    expect(log.end().imageId).toBe('abc123def456');
    expect(lines).toEqual(['Step 1/2 : FROM node', 'npm WARN old', 'Successfully built abc123def456']);
  });

  it('app log lines from the Docker API and from json-file logs are plain text', () => {
    const raw = Buffer.from('2024-01-02T03:04:05.123Z \x1b[32mGET /\x1b[0m 200\x1b]0;x\x07\n');
    expect(parseTimestampedLogs(raw).map((l) => l.line)).toEqual(['GET / 200']);
    const json = JSON.stringify({ log: '\x1b[31merror\x1b[0m boom\n', stream: 'stderr', time: '2024-01-02T03:04:05Z' });
    expect(parseJsonLog(json + '\n').map((l) => l.line)).toEqual(['error boom']);
  });
});
