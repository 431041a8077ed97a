import { describe, expect, it } from 'vitest';
import { KeyedLimiter, TokenBucket } from '../src/rate-limit.js';

describe('TokenBucket', () => {
  it('spends its burst, refills at its rate, and says how long until it holds n tokens', () => {
    const b = new TokenBucket(3, 10, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.msUntil(1, 0)).toBe(100);
    expect(b.msUntil(5, 0)).toBe(300); // capped at the capacity
    expect(b.take(100)).toBe(true);
    expect(b.available(1000)).toBe(3);
  });
});

describe('KeyedLimiter', () => {
  it('limits each key on its own and reports the wait without creating a bucket', () => {
    const l = new KeyedLimiter(2, 1);
    expect([l.take('a', 0), l.take('a', 0), l.take('a', 0)]).toEqual([true, true, false]);
    expect(l.take('b', 0)).toBe(true);
    expect(l.waitMs('a', 0)).toBe(1000);
    expect(l.waitMs('unknown', 0)).toBe(0);
    expect(l.size).toBe(2);
  });

  it('stays bounded under many keys: full buckets are forgotten, then the oldest', () => {
    const l = new KeyedLimiter(5, 1);
    for (let i = 0; i < 150_000; i++) l.take(`addr-${i}`, 0); // none of them full again at t=0
    expect(l.size).toBeLessThanOrEqual(101_000);
    expect(l.size).toBeGreaterThan(50_000);
    for (let i = 0; i < 20_000; i++) l.take(`later-${i}`, 10_000); // by now the old ones are full
    expect(l.size).toBeLessThan(30_000);
  });
});
