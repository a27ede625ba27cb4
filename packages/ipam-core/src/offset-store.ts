// Held addresses of one pool by offset. Offsets below 2^30 (every IPv4 pool up to a /2, and the
// first 2^30 addresses of larger ones) live in a plain array, which V8 keeps dense while a pool is
// filled from its start and turns into a hash table when it becomes sparse; larger offsets live in
// a map. Either way get/add/delete are O(1).
import { ChurnMap } from './churn-map.ts';
import type { Offset } from './pool-space.ts';

const ARRAY_LIMIT = 2 ** 30;

export class OffsetStore<E> {
  #array: (E | undefined)[] = [];
  #inArray = 0;
  readonly #map = new ChurnMap<Offset, E>();

  /** Number of held offsets. */
  get size(): number {
    return this.#inArray + this.#map.size;
  }

  get(offset: Offset): E | undefined {
    return typeof offset === 'number' && offset < ARRAY_LIMIT ? this.#array[offset] : this.#map.get(offset);
  }

  /** Adds an entry at an offset that holds none. */
  add(offset: Offset, entry: E): void {
    if (typeof offset === 'number' && offset < ARRAY_LIMIT) {
      this.#array[offset] = entry;
      this.#inArray++;
    } else {
      this.#map.add(offset, entry);
    }
  }

  /** Removes the entry at an offset; returns whether there was one. */
  delete(offset: Offset): boolean {
    if (typeof offset !== 'number' || offset >= ARRAY_LIMIT) return this.#map.delete(offset);
    if (this.#array[offset] === undefined) return false;
    this.#array[offset] = undefined;
    this.#inArray--;
    return true;
  }

  clear(): void {
    this.#array = [];
    this.#inArray = 0;
    this.#map.clear();
  }

  /** Every held offset with its entry, in no particular order. */
  *entries(): Generator<[Offset, E]> {
    const array = this.#array;
    if (array.length <= 4 * this.#inArray + 64) {
      for (let i = 0; i < array.length; i++) {
        const e = array[i];
        if (e !== undefined) yield [i, e];
      }
    } else {
      // Sparse: visit only the indices present.
      for (const k of Object.keys(array)) {
        const i = Number(k);
        const e = array[i];
        if (e !== undefined) yield [i, e];
      }
    }
    yield* this.#map.entries();
  }

  *values(): Generator<E> {
    for (const [, e] of this.entries()) yield e;
  }
}
