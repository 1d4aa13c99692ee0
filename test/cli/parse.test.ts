// Pure parsing of the client commands: argv, remote URL → app, KEY=VALUE, web=3, resources, versions, log lines.
import { describe, expect, it } from 'vitest';
import {
  appFromRemoteUrl,
  maskConfig,
  parseArgv,
  parseConfigPairs,
  parseLogLine,
  parseResources,
  parseScale,
  parseVersion,
  remoteUrlWithToken,
  shortTime,
  table,
  UsageError,
} from '../../server/cli/parse.ts';

const spec = { values: ['url', 'token', 'app', 'tail'], bools: ['json', 'help', 'follow'] };

describe('parseArgv', () => {
  it('reads long flags with and without =, -a, booleans and positionals in any order', () => {
    expect(parseArgv(['web=2', '--url', 'http://x:1', '-a', 'shop', '--tail=5', '--json', 'worker=1'], spec)).toEqual({
      flags: { url: 'http://x:1', app: 'shop', tail: '5', json: true },
      positionals: ['web=2', 'worker=1'],
    });
  });
  it('treats everything after -- as positionals and - as a positional', () => {
    expect(parseArgv(['--', '--json', '-a'], spec).positionals).toEqual(['--json', '-a']);
    expect(parseArgv(['-'], spec).positionals).toEqual(['-']);
  });
  it('accepts -h as --help and an empty value with =', () => {
    expect(parseArgv(['-h'], spec).flags).toEqual({ help: true });
    expect(parseArgv(['--token='], spec).flags).toEqual({ token: '' });
  });
  it.each([
    [['--nope'], /unknown option --nope/],
    [['--nope=1'], /unknown option --nope$/],
    [['-x'], /unknown option -x/],
    [['--app'], /--app needs a value/],
    [['-a', '--json'], /-a needs a value/],
    [['--json=1'], /--json takes no value/],
  ])('refuses %j', (argv, msg) => {
    expect(() => parseArgv(argv, spec)).toThrow(UsageError);
    expect(() => parseArgv(argv, spec)).toThrow(msg);
  });
});

describe('git remote URL → app', () => {
  it.each([
    ['http://kyozo:kz_abc@127.0.0.1:3000/git/shop.git', 'shop'],
    ['https://paas.example.com/git/my-app-2.git\n', 'my-app-2'],
    ['http://localhost:3000/prefix/git/api.git/', 'api'],
    ['http://localhost:3000/git/api', 'api'],
  ])('%s → %s', (url, app) => expect(appFromRemoteUrl(url)).toBe(app));
  it.each([
    'git@github.com:me/shop.git',
    'ssh://host/git/shop.git',
    'http://host/shop.git',
    'http://host/git/Bad_Name.git',
    'not a url',
  ])('ignores %s', (url) => expect(appFromRemoteUrl(url)).toBeNull());
  it('puts credentials into a git URL, replacing any that were there', () => {
    expect(remoteUrlWithToken('http://127.0.0.1:3000/git/a.git', 'kz_1')).toBe(
      'http://kyozo:kz_1@127.0.0.1:3000/git/a.git',
    );
    expect(remoteUrlWithToken('https://u:p@h/git/a.git', '$KYOZO_TOKEN')).toBe(
      'https://kyozo:$KYOZO_TOKEN@h/git/a.git',
    );
  });
});

describe('config pairs', () => {
  it('splits at the first = and keeps empty values', () => {
    expect(parseConfigPairs(['A=1', 'URL=postgres://u:p@h/db?x=y', 'EMPTY='])).toEqual({
      A: '1',
      URL: 'postgres://u:p@h/db?x=y',
      EMPTY: '',
    });
  });
  it.each([[[]], [['A']], [['=1']]])('refuses %j', (args) => expect(() => parseConfigPairs(args)).toThrow(UsageError));
  it('masks values unless revealed, sorted by key', () => {
    expect(maskConfig({ B: 'x', A: 'y' }, false)).toEqual({ A: '****', B: '****' });
    expect(Object.keys(maskConfig({ B: 'x', A: 'y' }, true))).toEqual(['A', 'B']);
    expect(maskConfig({ B: 'x' }, true)).toEqual({ B: 'x' });
  });
});

describe('scale and resources', () => {
  it('parses SERVICE=COUNT', () =>
    expect(parseScale(['web=3', 'worker=0', 'my-api=20'])).toEqual({ web: 3, worker: 0, 'my-api': 20 }));
  it.each([[[]], [['web']], [['web=-1']], [['web=two']], [['=2']], [['web=1.5']], [['we b=1']]])('refuses %j', (args) =>
    expect(() => parseScale(args)).toThrow(UsageError),
  );
  it('parses SERVICE:memory=MB,cpus=N with units and aliases', () => {
    expect(parseResources(['web:memory=256,cpus=0.5', 'worker:mem=1g', 'api:cpus=2,memoryMb=512m'])).toEqual({
      web: { memoryMb: 256, cpus: 0.5 },
      worker: { memoryMb: 1024 },
      api: { cpus: 2, memoryMb: 512 },
    });
    expect(parseResources(['web:memory=256', 'web:cpus=.25'])).toEqual({ web: { memoryMb: 256, cpus: 0.25 } });
  });
  it.each([
    [['web'], /SERVICE:memory/],
    [['web:'], /SERVICE:memory/],
    [[':memory=1'], /SERVICE:memory/],
    [['web:memory=lots'], /memory must be/],
    [['web:cpus=-1'], /cpus must be/],
    [['web:disk=1'], /unknown resource "disk"/],
  ])('refuses %j', (args, msg) => expect(() => parseResources(args)).toThrow(msg));
});

describe('small things', () => {
  it('reads versions as 3 or v3', () => {
    expect(parseVersion('3')).toBe(3);
    expect(parseVersion('v12')).toBe(12);
    for (const bad of ['0', 'x', '', undefined, '-1', '1.5']) expect(() => parseVersion(bad)).toThrow(UsageError);
  });
  it('parses app log lines', () => {
    expect(parseLogLine('2026-01-02T03:04:05.000Z web#1 listening on 3000')).toEqual({
      at: '2026-01-02T03:04:05.000Z',
      service: 'web',
      replica: 1,
      line: 'listening on 3000',
    });
    expect(parseLogLine('2026-01-02T03:04:05.000Z web#2 ')).toMatchObject({ replica: 2, line: '' });
    expect(parseLogLine('garbage')).toBeNull();
  });
  it('formats times and tables', () => {
    expect(shortTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05');
    expect(shortTime(null)).toBe('-');
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['b', ''],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\nb');
  });
});
