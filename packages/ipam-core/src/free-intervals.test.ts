import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeIntervals } from './free-intervals.ts';

/** Maximal runs of a sorted set of free values, as [start, end] pairs. */
function runs(free: ReadonlySet<number>): [number, number][] {
  const out: [number, number][] = [];
  for (const v of [...free].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last !== undefined && last[1] + 1 === v) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

type Op = { kind: 'take' } | { kind: 'claim'; v: number } | { kind: 'release'; v: number };

const SIZE = 40;
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: 'take' as const }),
  fc.record({ kind: fc.constant('claim' as const), v: fc.integer({ min: 0, max: SIZE - 1 }) }),
  fc.record({ kind: fc.constant('release' as const), v: fc.integer({ min: 0, max: SIZE - 1 }) }),
);

describe('FreeIntervals', () => {
  it('matches a set of free values under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const tree = new FreeIntervals<number>(1);
        tree.reset([0], [SIZE - 1]);
        const model = new Set(Array.from({ length: SIZE }, (_, i) => i));
        for (const o of ops) {
          switch (o.kind) {
            case 'take': {
              const lowest = model.size === 0 ? undefined : Math.min(...model);
              expect(tree.lowest()).toBe(lowest);
              expect(tree.takeLowest()).toBe(lowest);
              if (lowest !== undefined) model.delete(lowest);
              break;
            }
            case 'claim':
              expect(tree.claim(o.v)).toBe(model.delete(o.v));
              break;
            case 'release': {
              const wasTaken = !model.has(o.v);
              expect(tree.release(o.v)).toBe(wasTaken);
              model.add(o.v);
              break;
            }
          }
          expect(tree.intervals()).toEqual(runs(model));
          expect(tree.intervalCount).toBe(runs(model).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('works on bigint values beyond 2^64', () => {
    const tree = new FreeIntervals<bigint>(1n);
    const base = 1n << 100n;
    tree.reset([base], [base + (1n << 64n) - 1n]);
    expect(tree.takeLowest()).toBe(base);
    expect(tree.claim(base + 5n)).toBe(true);
    expect(tree.has(base + 5n)).toBe(false);
    expect(tree.intervals()).toEqual([
      [base + 1n, base + 4n],
      [base + 6n, base + (1n << 64n) - 1n],
    ]);
    expect(tree.release(base + 5n)).toBe(true);
    expect(tree.release(base)).toBe(true);
    expect(tree.intervals()).toEqual([[base, base + (1n << 64n) - 1n]]);
  });

  it('stays balanced: 100,000 scattered holes keep every operation cheap in depth', () => {
    const tree = new FreeIntervals<number>(1);
    tree.reset([], []);
    for (let i = 0; i < 100_000; i++) tree.release(i * 2);
    expect(tree.intervalCount).toBe(100_000);
    for (let i = 0; i < 100_000; i += 2) expect(tree.claim(i * 2)).toBe(true);
    expect(tree.intervalCount).toBe(50_000);
    expect(tree.lowest()).toBe(2);
  });
});
