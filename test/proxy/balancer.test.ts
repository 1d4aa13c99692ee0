import { describe, expect, it } from 'vitest';
import { Balancer } from '../../server/proxy/balancer.ts';

const a = { host: '10.0.0.1', port: 3000 };
const b = { host: '10.0.0.2', port: 3000 };
const c = { host: '10.0.0.3', port: 3000, id: 'replica-c' };

function clock() {
  let t = 1000;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('Balancer', () => {
  it('round robins per pool', () => {
    const bal = new Balancer();
    const picks = Array.from({ length: 6 }, () => bal.pick('shop/web', [a, b, c])?.host);
    expect(picks).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(bal.pick('other/web', [a, b])).toBe(a);
    expect(bal.pick('x/y', [])).toBeUndefined();
  });

  it('plans every upstream once, down ones last', () => {
    const clk = clock();
    const bal = new Balancer({ downForMs: 5000, now: clk.now });
    bal.markDown(a);
    expect(bal.plan('p', [a, b, c])).toEqual([b, c, a]);
    expect(bal.plan('p', [a, b, c])).toEqual([b, c, a]); // start moved to b; a still last
    expect(bal.plan('p', [a, b, c])).toEqual([c, b, a]);
  });

  it('skips a down upstream until the mark expires', () => {
    const clk = clock();
    const bal = new Balancer({ downForMs: 5000, now: clk.now });
    bal.markDown(b);
    expect(Array.from({ length: 4 }, () => bal.pick('p', [a, b]))).toEqual([a, a, a, a]);
    clk.advance(5001);
    expect(bal.isDown(b)).toBe(false);
    expect(new Set(Array.from({ length: 4 }, () => bal.pick('p', [a, b])))).toEqual(new Set([a, b]));
  });

  it('still tries down upstreams when all are down', () => {
    const clk = clock();
    const bal = new Balancer({ now: clk.now });
    bal.markDown(a);
    bal.markDown(b);
    expect(bal.plan('p', [a, b])).toHaveLength(2);
    expect(bal.pick('p', [a, b])).toBeDefined();
  });

  it('supports manual marks keyed by replica id, never shortened by passive marks', () => {
    const clk = clock();
    const bal = new Balancer({ downForMs: 5000, now: clk.now });
    bal.markDown('replica-c', Infinity);
    bal.markDown(c); // passive 5 s mark must not shorten the manual one
    clk.advance(60_000);
    expect(bal.isDown(c)).toBe(true);
    expect(bal.downKeys()).toEqual(['replica-c']);
    bal.markUp(c);
    expect(bal.isDown('replica-c')).toBe(false);
  });
});
