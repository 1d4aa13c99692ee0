// Compose `command:` reaches the container as compose means it: an exec-form array element by element with no
// shell (quoting kept; images without /bin/sh work), a string through /bin/sh -c; `$$` is a literal `$`.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/analysis/index.ts';
import type { Snapshot } from '../../server/analysis/types.ts';
import { commandOf } from '../../server/release/spec.ts';

const compose = (yaml: string): Snapshot => ({
  paths: ['compose.yaml'],
  read: (p) => (p === 'compose.yaml' ? yaml : null),
});
const service = (yaml: string, name = 'tool') => analyze(compose(yaml)).services.find((s) => s.name === name)!;

describe('compose command', () => {
  it('an exec-form array is the Cmd as is, without a shell, $$ unescaped', () => {
    const s = service(
      'services:\n  tool:\n    image: ghcr.io/acme/tool:1\n    command: ["serve", "--greeting", "hello world", "--price=$$5", "a\\"b"]\n',
    );
    expect(commandOf(s)).toEqual(['serve', '--greeting', 'hello world', '--price=$5', 'a"b']);
    expect(s.processes).toEqual({ worker: 'serve --greeting hello world --price=$5 a"b' });
  });

  it('a block-list command is exec form too', () => {
    const s = service('services:\n  tool:\n    image: busybox:1.36\n    command:\n      - sleep\n      - "3600"\n');
    expect(commandOf(s)).toEqual(['sleep', '3600']);
  });

  it('a string command runs through /bin/sh -c (as before), with $$ unescaped to a literal $', () => {
    const s = service('services:\n  tool:\n    image: busybox:1.36\n    command: echo "$$HOME" && sleep 1\n');
    expect(commandOf(s)).toEqual(['/bin/sh', '-c', 'echo "$HOME" && sleep 1']);
  });

  it('no command: the image default', () => {
    expect(commandOf(service('services:\n  tool:\n    image: busybox:1.36\n'))).toBeNull();
  });
});
