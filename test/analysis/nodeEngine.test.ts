import { describe, expect, it } from 'vitest';
import { engineAllows, nextAllowedMajor, nodeImageFor } from '../../server/analysis/nodeEngine.ts';

describe('engines.node', () => {
  it.each([
    ['>=18', 20, true],
    ['^22.21', 20, false],
    ['22.x', 22, true],
    ['>=18 <21', 20, true],
    ['>=18 <20', 20, false],
    ['18 || 20', 20, true],
    ['18 || 22', 20, false],
    ['*', 20, true],
    ['lts/*', 20, true],
    ['>20', 20, false],
    ['<=20', 20, true],
  ])('%s allows %i: %s', (range, major, ok) => expect(engineAllows(range, major)).toBe(ok));

  it.each([
    ['18 - 20', 20, true],
    ['18 - 20', 22, false],
    ['>= 22', 20, false],
    ['^20.19.0 || >=22.12.0', 21, false],
    ['^20.19.0 || >=22.12.0', 20, true],
    ['latest', 20, true],
  ])('reads the full semver range syntax: %s allows %i: %s', (range, major, ok) =>
    expect(engineAllows(range, major)).toBe(ok),
  );

  it('skips alternatives that allow nothing above the current major', () => {
    expect(nextAllowedMajor('^20.19.0 || >=22.12.0', 21)).toBe(22);
    expect(nextAllowedMajor('^18.18.0 || ^20.9.0 || >=21.1.0', 19)).toBe(20);
    expect(nextAllowedMajor('>=21 <21', 20)).toBeNull();
    expect(nextAllowedMajor('lts/*', 20)).toBeNull();
  });

  it('picks the next allowed major', () => {
    expect(nextAllowedMajor('^22.21', 20)).toBe(22);
    expect(nextAllowedMajor('18 || 22 || 24', 20)).toBe(22);
    expect(nextAllowedMajor('<20', 20)).toBeNull();
  });

  it('moves public node images to the major the app needs and keeps other images', () => {
    expect(nodeImageFor('node:20-slim', '^22.21')).toBe('node:22-slim');
    expect(nodeImageFor('node:20', '>=24')).toBe('node:24');
    expect(nodeImageFor('node:20-slim', '>=18')).toBe('node:20-slim');
    expect(nodeImageFor('kyozo/node-standin:20', '^22')).toBe('kyozo/node-standin:20');
    expect(nodeImageFor('node:20-slim', undefined)).toBe('node:20-slim');
  });
});

import { DEFAULT_IMAGES } from '../../server/build/images.ts';
import { analyzeAndPlan } from '../../server/build/topology.ts';
import { snapshotFromDir } from '../../server/snapshot/fs.ts';

describe('generated Node builds follow engines.node', () => {
  it('builds a turborepo app whose root requires Node ^22 on node:22 (the configured image is node:20)', () => {
    const { topology: t } = analyzeAndPlan(snapshotFromDir('test/fixtures/real-t3-turbo'), {
      images: { ...DEFAULT_IMAGES, node: 'node:20-slim', nodeBuild: 'node:20' },
    });
    const next = t.services.find((s) => s.name === 'nextjs')!;
    expect(next.build.dockerfile).toMatch(/^FROM node:22-slim$/m);
  });
});
