import { describe, expect, it } from 'vitest';
import { backoffDelayMs, backoffScheduleMs, defaultBackoff } from '../src/backoff.js';

describe('backoff', () => {
  it('gives the documented schedule: 1, 2, 4, 8, 16 s', () => {
    expect(backoffScheduleMs(defaultBackoff)).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it.each([
    [1, { initialDelayMs: 500, factor: 3, maxDelayMs: 10_000 }, 500],
    [3, { initialDelayMs: 500, factor: 3, maxDelayMs: 10_000 }, 4500],
    [4, { initialDelayMs: 500, factor: 3, maxDelayMs: 10_000 }, 10_000],
    [9, { initialDelayMs: 1000, factor: 1, maxDelayMs: 10_000 }, 1000],
  ])('attempt %i with %o waits %i ms', (attempt, opts, expected) => {
    expect(backoffDelayMs(attempt, { ...defaultBackoff, ...opts })).toBe(expected);
  });

  it('jitter only shortens a delay, by at most the jitter fraction', () => {
    const opts = { ...defaultBackoff, jitter: 0.2 };
    expect(backoffDelayMs(3, opts, () => 0)).toBe(4000);
    expect(backoffDelayMs(3, opts, () => 0.999999)).toBe(3200);
    expect(backoffDelayMs(3, opts, () => 0.5)).toBe(3600);
  });
});
