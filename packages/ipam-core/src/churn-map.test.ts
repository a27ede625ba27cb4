import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChurnMap } from './churn-map.ts';

describe('ChurnMap', () => {
  it('behaves like a Map under any sequence of sets and deletes', () => {
    const action = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.integer());
    fc.assert(
      fc.property(fc.array(action, { maxLength: 400 }), (actions) => {
        const map = new ChurnMap<number, { v: number }>();
        const model = new Map<number, { v: number }>();
        for (const [isSet, key, v] of actions) {
          if (isSet) {
            map.set(key, { v });
            model.set(key, { v });
          } else {
            expect(map.delete(key)).toBe(model.delete(key));
          }
          expect(map.size).toBe(model.size);
          expect(map.get(key)).toEqual(model.get(key));
        }
        const sorted = <T>(xs: Iterable<[number, T]>) => [...xs].sort((a, b) => a[0] - b[0]);
        expect(sorted(map.entries())).toEqual(sorted(model.entries()));
        expect([...map.keys()].sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
        expect([...map.values()].length).toBe(model.size);
      }),
    );
  });

  it('compacts after many distinct deletions and keeps the live entries', () => {
    const map = new ChurnMap<string, number>();
    for (let i = 0; i < 5000; i++) map.set(`k${i}`, i);
    for (let i = 0; i < 4990; i++) map.delete(`k${i}`);
    expect(map.size).toBe(10);
    expect([...map.values()]).toEqual([4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999]);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get('k4999')).toBeUndefined();
  });
});
