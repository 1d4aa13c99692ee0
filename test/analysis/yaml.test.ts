import { describe, expect, it } from 'vitest';
import { parseYaml, YamlError } from '../../server/analysis/yaml.ts';

describe('parseYaml', () => {
  it('reads a compose file with lists, maps, flow lists, quotes and comments', () => {
    const doc = parseYaml(`
version: "3.8" # old key
services:
  web:
    build: ./web
    ports:
      - "8080:3000"
      - 9229:9229
    environment:
      - API_URL=http://api:8000   # a url
      - 'QUOTED=it''s'
    depends_on: [api, "db"]
    command: ["npm", "start"]
  api:
    build:
      context: ./api
      dockerfile: Dockerfile.prod
    environment:
      DATABASE_URL: postgres://app:app@db:5432/app
      EMPTY:
  db:
    image: postgres:16
    healthcheck: {test: ["CMD", "pg_isready"], interval: 5s}
volumes:
  pgdata: {}
`) as any;
    expect(doc.version).toBe('3.8');
    expect(doc.services.web.ports).toEqual(['8080:3000', '9229:9229']);
    expect(doc.services.web.environment).toEqual(['API_URL=http://api:8000', "QUOTED=it's"]);
    expect(doc.services.web.depends_on).toEqual(['api', 'db']);
    expect(doc.services.web.command).toEqual(['npm', 'start']);
    expect(doc.services.api.build).toEqual({ context: './api', dockerfile: 'Dockerfile.prod' });
    expect(doc.services.api.environment).toEqual({ DATABASE_URL: 'postgres://app:app@db:5432/app', EMPTY: null });
    expect(doc.services.db.healthcheck).toEqual({ test: ['CMD', 'pg_isready'], interval: '5s' });
    expect(doc.volumes).toEqual({ pgdata: {} });
  });

  it('handles lists at the same indent as their key, nested list items and maps in lists', () => {
    const doc = parseYaml(`packages:
- 'apps/*'
- "packages/**"
- "!**/test/**"
matrix:
  - name: a
    tags: [x, y]
  - name: b
  - - nested
    - pair
`) as any;
    expect(doc.packages).toEqual(['apps/*', 'packages/**', '!**/test/**']);
    expect(doc.matrix).toEqual([{ name: 'a', tags: ['x', 'y'] }, { name: 'b' }, ['nested', 'pair']]);
  });

  it('reads block scalars (literal, folded, chomping) and skips their content safely', () => {
    const doc = parseYaml(`a: |
  line one
    indented: not a key
  # not a comment

b: >-
  folded
  text
c: 1
`) as any;
    expect(doc.a).toBe('line one\n  indented: not a key\n# not a comment\n');
    expect(doc.b).toBe('folded text');
    expect(doc.c).toBe(1);
  });

  it('supports anchors, aliases and merge keys', () => {
    const doc = parseYaml(`x-common: &common
  restart: always
  environment:
    A: "1"
services:
  one:
    <<: *common
    image: redis
  two:
    <<: *common
    restart: "no"
    tag: *common
`) as any;
    expect(doc.services.one).toEqual({ image: 'redis', restart: 'always', environment: { A: '1' } });
    expect(doc.services.two.restart).toBe('no');
    expect(doc.services.two.tag.restart).toBe('always');
  });

  it('types scalars like YAML does and keeps strings with colons', () => {
    const doc = parseYaml(`n: 42\nf: 1.5\nt: true\nz: ~\ns: "42"\nurl: http://x:80/y\ntime: 10:30\nmulti: first
  second\n`) as any;
    expect(doc).toEqual({
      n: 42,
      f: 1.5,
      t: true,
      z: null,
      s: '42',
      url: 'http://x:80/y',
      time: '10:30',
      multi: 'first second',
    });
  });

  it('handles multi-line flow collections, CRLF and a BOM', () => {
    const doc = parseYaml('\uFEFFcmd: [\r\n  "a",\r\n  "b"\r\n]\r\nk: v\r\n') as any;
    expect(doc).toEqual({ cmd: ['a', 'b'], k: 'v' });
  });

  it('merges lists of maps with `<<` (earlier sources win, explicit keys win over all) and anchors on list items', () => {
    const doc = parseYaml(`x-base: &base { restart: always, image: base }
x-logs: &logs
  restart: "no"
  logging: { driver: json-file }
services:
  web:
    image: web
    <<: [*base, *logs]
  jobs:
    - &job { name: a, retries: 3 }
    - <<: *job
      name: b
`) as any;
    expect(doc.services.web).toEqual({ image: 'web', restart: 'always', logging: { driver: 'json-file' } });
    expect(doc.services.jobs).toEqual([
      { name: 'a', retries: 3 },
      { name: 'b', retries: 3 },
    ]);
  });

  it('reads compose-style multi-line commands, flow maps over several lines and unknown tags', () => {
    const doc = parseYaml(`services:
  web:
    command: >
      gunicorn app:app
      --bind 0.0.0.0:8000
    healthcheck: {
      test: ["CMD", "curl", "-f", "http://localhost:8000/health"],
      interval: 10s
    }
    entrypoint:
      - sh
      - -c
      - |
        migrate
        exec "$$@"
    ports: !reset []
`) as any;
    expect(doc.services.web.command).toBe('gunicorn app:app --bind 0.0.0.0:8000\n');
    expect(doc.services.web.healthcheck.test).toEqual(['CMD', 'curl', '-f', 'http://localhost:8000/health']);
    expect(doc.services.web.entrypoint).toEqual(['sh', '-c', 'migrate\nexec "$$@"\n']);
    expect(doc.services.web.ports).toEqual([]);
  });

  it('merges several documents into one map and keeps keys as strings', () => {
    expect(parseYaml('a: 1\n---\nb: 2\na: 3\n')).toEqual({ a: 3, b: 2 });
    expect(parseYaml('1: x\nnull: y\ntrue: z\n')).toEqual({ '1': 'x', null: 'y', true: 'z' });
    expect(() => parseYaml('a: 1\n---\n- x\n')).toThrow(YamlError);
  });

  it('refuses alias expansion bombs instead of building them', () => {
    let src = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (const [prev, next] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi'])
      src += `${next}: &${next} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    expect(() => parseYaml(src)).toThrow(YamlError);
  });

  it('returns null for an empty document', () => {
    expect(parseYaml('# only a comment\n')).toBeNull();
  });

  it('throws YamlError on broken input instead of guessing', () => {
    expect(() => parseYaml('a:\n  b: 1\n c: 2\n')).toThrow(YamlError);
    expect(() => parseYaml('a: [1, 2\n')).toThrow(YamlError);
    expect(() => parseYaml('a: "open\n')).toThrow(YamlError);
    expect(() => parseYaml('a:\n\tb: 1\n')).toThrow(YamlError);
    expect(() => parseYaml('a: *nope\n')).toThrow(YamlError);
    expect(() => parseYaml('a: b: c\n')).toThrow(YamlError);
    expect(() => parseYaml('<<: 5\na: 1\n')).toThrow(YamlError);
  });

  it('says where the input is broken in one line', () => {
    expect(() => parseYaml('services:\n  web:\n    build: .\n   ports: [1]\n')).toThrow(
      /^All mapping items must start at the same column at line 4, column 1$/,
    );
  });
});
