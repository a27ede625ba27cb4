import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff, resolveBackoff } from './backoff.ts';

describe('backoffDelay', () => {
  const policy = resolveBackoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 });

  it.each([
    [1, 0, 100],
    [2, 0, 200],
    [4, 0, 800],
    [5, 0, 1000],
    [60, 0, 1000],
    [3000, 0, 1000],
    [2, 1, 100],
    [5, 0.5, 750],
    [0, 0, 100],
  ])('attempt %d with random %d waits %d ms', (attempt, r, expected) => {
    expect(backoffDelay(policy, attempt, () => r)).toBe(expected);
  });

  it('stays within [d·(1−jitter), d] for any random value', () => {
    for (let i = 0; i <= 100; i++) {
      const d = backoffDelay(policy, 3, () => i / 100);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('resolveBackoff', () => {
  it('fills unset fields from the default', () => {
    expect(resolveBackoff(undefined)).toEqual(defaultBackoff);
    expect(resolveBackoff({ initialMs: 10 })).toEqual({ ...defaultBackoff, initialMs: 10 });
  });

  it('clamps nonsense', () => {
    expect(resolveBackoff({ initialMs: -5, maxMs: Number.NaN, factor: 0.1, jitter: 7 })).toEqual({
      initialMs: 0,
      maxMs: defaultBackoff.maxMs,
      factor: 1,
      jitter: 1,
    });
    expect(resolveBackoff({ initialMs: 500, maxMs: 100 }).maxMs).toBe(500);
  });
});
