// Settings resolution, the command table and its usage texts, and the fetch wrapper's error messages (against a
// local server on 127.0.0.1 and a closed port there).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, createApi, resolveSettings } from '../../server/cli/client.ts';
import { COMMANDS, findCommand, flagSpecOf, helpText, usageOf } from '../../server/cli/help.ts';
import { UsageError } from '../../server/cli/parse.ts';
import { freePort } from '../../server/db/embedded.ts';

describe('resolveSettings', () => {
  it('prefers flags over env, defaults the URL and trims trailing slashes', () => {
    expect(resolveSettings({}, {})).toEqual({ url: 'http://localhost:3000', token: null });
    expect(resolveSettings({}, { KYOZO_URL: 'https://k.example/', KYOZO_TOKEN: 'kz_env' })).toEqual({
      url: 'https://k.example',
      token: 'kz_env',
    });
    expect(
      resolveSettings(
        { url: 'http://127.0.0.1:4000', token: 'kz_flag' },
        { KYOZO_URL: 'http://x', KYOZO_TOKEN: 'kz_env' },
      ),
    ).toEqual({ url: 'http://127.0.0.1:4000', token: 'kz_flag' });
  });
  it('refuses a URL that is not http(s)', () => {
    expect(() => resolveSettings({ url: 'localhost:3000' }, {})).toThrow(UsageError);
    expect(() => resolveSettings({}, { KYOZO_URL: 'ftp://h' })).toThrow(/not an http\(s\) URL/);
  });
});

describe('command table', () => {
  it('has one line per command in the help, and a usage for each', () => {
    const help = helpText();
    for (const c of COMMANDS) {
      expect(help).toMatch(new RegExp(`^  ${c.name.replace(':', '\\:')}( |$)`, 'm'));
      expect(usageOf(c)).toContain(`usage: kyozo ${c.name}`);
    }
    expect(help).toContain('KYOZO_URL');
    expect(help).toContain('KYOZO_TOKEN');
  });
  it('gives --wait only to commands that start a release, --app only to app commands', () => {
    expect(flagSpecOf(findCommand('scale')!).bools).toContain('wait');
    expect(flagSpecOf(findCommand('ps')!).bools).not.toContain('wait');
    expect(flagSpecOf(findCommand('tokens')!).values).not.toContain('app');
    expect(flagSpecOf(findCommand('logs')!).values).toEqual(
      expect.arrayContaining(['app', 'service', 'tail', 'url', 'token']),
    );
  });
});

describe('the fetch wrapper', () => {
  let url = '';
  const server = createServer((req, res) => {
    if (req.url === '/api/ok') return res.end(JSON.stringify({ auth: req.headers.authorization }));
    if (req.url === '/api/bad') {
      res.statusCode = 404;
      return res.end('{"error":"app \\"x\\" not found"}');
    }
    if (req.url === '/api/401') {
      res.statusCode = 401;
      return res.end('{"error":"invalid or revoked token"}');
    }
    if (req.url === '/api/html') return res.end('<html>');
    if (req.url === '/api/lines') {
      res.write('a\nb');
      setTimeout(() => res.end('c\nd\n'), 20);
      return;
    }
    res.statusCode = 502;
    res.end('bad gateway');
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the token and parses JSON', async () => {
    expect(await createApi(url, 'kz_t').call('GET', '/api/ok')).toEqual({ auth: 'Bearer kz_t' });
  });
  it('turns API errors into their message, with a hint on 401', async () => {
    await expect(createApi(url, 't').call('GET', '/api/bad')).rejects.toThrow('app "x" not found');
    await expect(createApi(url, 't').call('GET', '/api/401')).rejects.toThrow(
      /invalid or revoked token \(check KYOZO_TOKEN/,
    );
    await expect(createApi(url, 't').call('GET', '/api/other')).rejects.toThrow('GET /api/other answered 502');
    await expect(createApi(url, 't').call('GET', '/api/html')).rejects.toThrow(/did not answer JSON/);
  });
  it('hands over streamed text line by line', async () => {
    const got: string[] = [];
    await createApi(url, 't').lines('/api/lines', (l) => got.push(l));
    expect(got).toEqual(['a', 'bc', 'd']);
  });
  it('says which URL it could not reach', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const err = await createApi(closed, 't')
      .call('GET', '/api/apps')
      .catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toBe(
      `could not reach Kyozo at ${closed} (connection refused). Is it running? Set KYOZO_URL or pass --url.`,
    );
  });
});
