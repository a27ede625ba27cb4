import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetStore } from './offset-store.ts';
import type { Offset } from './pool-space.ts';

const offsetArb: fc.Arbitrary<Offset> = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 2 ** 30 - 2, max: 2 ** 30 + 2 }),
  fc.constantFrom(16_000_000, 2 ** 53 - 1),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 53n + 3n }),
);

describe('OffsetStore', () => {
  it('behaves like a Map from offset to entry, dense, sparse or huge', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), offsetArb), { maxLength: 200 }), (actions) => {
        const store = new OffsetStore<string>();
        const model = new Map<Offset, string>();
        for (const [isAdd, offset] of actions) {
          if (isAdd) {
            if (model.has(offset)) continue; // add is only for free offsets
            store.add(offset, `e${offset}`);
            model.set(offset, `e${offset}`);
          } else {
            expect(store.delete(offset)).toBe(model.delete(offset));
          }
          expect(store.get(offset)).toBe(model.get(offset));
          expect(store.size).toBe(model.size);
        }
        const key = (o: Offset): string => o.toString();
        expect([...store.entries()].map(([o, e]) => `${key(o)}=${e}`).sort()).toEqual(
          [...model].map(([o, e]) => `${key(o)}=${e}`).sort(),
        );
        expect([...store.values()].sort()).toEqual([...model.values()].sort());
        store.clear();
        expect(store.size).toBe(0);
      }),
    );
  });
});
