import { describe, expect, it } from 'vitest';
import { imageAllowed, imageRefusal, parseAllowedImages } from '../../server/release/imagePolicy.ts';

const registry = { labels: {}, repoDigests: ['postgres@sha256:abc'] };
const localOnly = { labels: {}, repoDigests: [] };
const kyozoBuilt = { labels: { 'kyozo.app': '7', 'kyozo.service': 'web' }, repoDigests: [] };

describe('image policy for compose image: services', () => {
  it('parses KYOZO_ALLOWED_IMAGES as comma or space separated globs', () => {
    expect(parseAllowedImages(' postgres:*, redis:7 kyozo/*-standin:1 ')).toEqual([
      'postgres:*',
      'redis:7',
      'kyozo/*-standin:1',
    ]);
    expect(parseAllowedImages(undefined)).toEqual([]);
    expect(imageAllowed('kyozo/static-standin:1', ['kyozo/*-standin:1'])).toBe(true);
    expect(imageAllowed('kyozo/static-standin:10', ['kyozo/*-standin:1'])).toBe(false);
    expect(imageAllowed('postgres.evil:16', ['postgres:*'])).toBe(false); // '.' is literal
  });
  it('runs registry images, missing ones (pulled) and allowed local ones', () => {
    expect(imageRefusal('db', 'postgres:16', registry, [])).toBeNull();
    expect(imageRefusal('db', 'postgres:16', null, [])).toBeNull();
    expect(imageRefusal('db', 'my/pg:1', localOnly, ['my/pg:*'])).toBeNull();
  });
  it("refuses another app's build and local-only images, naming the service and the rule", () => {
    expect(imageRefusal('db', 'kyozo/a7/web:v3', kyozoBuilt, [])).toMatch(
      /^service db: image kyozo\/a7\/web:v3 was built by Kyozo .*KYOZO_ALLOWED_IMAGES.*never another app's build$/,
    );
    expect(imageRefusal('db', 'kyozo/a7/web:v3', kyozoBuilt, ['kyozo/*'])).toMatch(/built by Kyozo/);
    expect(imageRefusal('db', 'kyozo/a7/web:v3', kyozoBuilt, [], 'b9')).toMatch(/built by Kyozo/);
    expect(imageRefusal('web', 'kyozo/a7/web:v3', kyozoBuilt, [], '7')).toBeNull(); // the app's own build
    expect(imageRefusal('cache', 'my/redis:1', localOnly, [])).toMatch(
      /^service cache: image my\/redis:1 exists only on this machine .*KYOZO_ALLOWED_IMAGES="my\/redis:\*"/,
    );
  });
});
