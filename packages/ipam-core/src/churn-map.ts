// A Map for keys that come and go and come back (Service keys, reused addresses). V8's Map keeps a
// deleted entry in its hash chain until the next rehash, so deleting and re-adding the same keys
// makes lookups walk ever longer chains. Removal here leaves an `undefined` tombstone instead, which
// a re-add reuses; the table is compacted once tombstones outnumber live entries (amortised O(1)).

export class ChurnMap<K, V> {
  #map = new Map<K, V | undefined>();
  #live = 0;

  /** Number of live entries. */
  get size(): number {
    return this.#live;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Adds or replaces an entry. */
  set(key: K, value: V): void {
    if (this.#map.get(key) === undefined) this.#live++;
    this.#map.set(key, value);
  }

  /** Adds an entry for a key the caller has just seen to be absent (`get` gave undefined). */
  add(key: K, value: V): void {
    this.#live++;
    this.#map.set(key, value);
  }

  /** Removes an entry; returns whether it was live. */
  delete(key: K): boolean {
    if (this.#map.get(key) === undefined) return false;
    this.#map.set(key, undefined);
    this.#live--;
    if (this.#map.size > 2 * this.#live + 1024) this.#compact();
    return true;
  }

  clear(): void {
    this.#map = new Map();
    this.#live = 0;
  }

  *values(): Generator<V> {
    for (const v of this.#map.values()) if (v !== undefined) yield v;
  }

  *keys(): Generator<K> {
    for (const [k, v] of this.#map) if (v !== undefined) yield k;
  }

  *entries(): Generator<[K, V]> {
    for (const [k, v] of this.#map) if (v !== undefined) yield [k, v];
  }

  #compact(): void {
    const next = new Map<K, V | undefined>();
    for (const [k, v] of this.#map) if (v !== undefined) next.set(k, v);
    this.#map = next;
  }
}
