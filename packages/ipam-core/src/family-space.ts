// The address space of one family: every valid pool (sorted by first address, with its free
// intervals), every held address (in a pool or not), and the sharing-key bindings.
import { formatIpv4Number, formatIpv6Value } from './address.ts';
import type { IpFamily } from './address.ts';
import { rangeSize } from './address-range.ts';
import { FreeIntervals } from './free-intervals.ts';
import type { Pool } from './service-group.ts';

/** An address value inside the state: a number for IPv4, a bigint for IPv6. */
export type Value = number | bigint;

/** One valid pool and its free space. */
export interface PoolSpace {
  readonly pool: Pool;
  readonly group: string;
  readonly poolIndex: number;
  readonly first: Value;
  readonly last: Value;
  readonly capacity: bigint;
  readonly free: FreeIntervals<Value>;
  /** Held addresses inside the pool. */
  held: number;
}

/** One held address and the keys holding it (more than one only when shared). */
export interface AddressEntry {
  readonly family: IpFamily;
  readonly value: Value;
  readonly text: string;
  /** The sharing key every user carries (undefined = not shareable). */
  sharingKey: string | undefined;
  /** The group the address is bound to for sharing purposes. */
  group: string | undefined;
  users: string[];
  pool: PoolSpace | undefined;
}

const compareValues = (a: Value, b: Value): number => (a < b ? -1 : a > b ? 1 : 0);

/** The free intervals of [first, last] minus the sorted held values. */
function complement(first: Value, last: Value, held: readonly Value[], one: Value): { starts: Value[]; ends: Value[] } {
  const starts: Value[] = [];
  const ends: Value[] = [];
  let cursor = first;
  for (const v of held) {
    if (v > cursor) {
      starts.push(cursor);
      ends.push((v as number) - (one as number));
    }
    cursor = (v as number) + (one as number);
  }
  if (cursor <= last) {
    starts.push(cursor);
    ends.push(last);
  }
  return { starts, ends };
}

export class FamilySpace {
  readonly family: IpFamily;
  readonly #one: Value;
  /** Valid pools sorted by first address (they never overlap). */
  pools: PoolSpace[] = [];
  readonly held = new Map<Value, AddressEntry>();
  /** `group \0 sharingKey` → the address that sharing key is bound to. */
  readonly bindings = new Map<string, AddressEntry>();

  constructor(family: IpFamily) {
    this.family = family;
    this.#one = family === 'IPv4' ? 1 : 1n;
  }

  /** The internal value of an exact address value. */
  toValue(v: bigint): Value {
    return this.family === 'IPv4' ? Number(v) : v;
  }

  format(v: Value): string {
    return this.family === 'IPv4' ? formatIpv4Number(v as number) : formatIpv6Value(v as bigint);
  }

  /** The pool holding the value, if any (binary search). */
  locate(v: Value): PoolSpace | undefined {
    const pools = this.pools;
    let lo = 0;
    let hi = pools.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = pools[mid] as PoolSpace;
      if (v < p.first) hi = mid - 1;
      else if (v > p.last) lo = mid + 1;
      else return p;
    }
    return undefined;
  }

  /** Creates a pool space (not yet part of the space; see `setPools`). */
  createPool(pool: Pool, group: string, poolIndex: number): PoolSpace {
    return {
      pool,
      group,
      poolIndex,
      first: this.toValue(pool.range.first),
      last: this.toValue(pool.range.last),
      capacity: rangeSize(pool.range),
      free: new FreeIntervals<Value>(this.#one),
      held: 0,
    };
  }

  /** Replaces the pools and recomputes every free interval from the held addresses. */
  setPools(pools: readonly PoolSpace[]): void {
    this.pools = [...pools].sort((a, b) => compareValues(a.first, b.first));
    this.rebuild();
  }

  /** Recomputes which pool each held address is in, the pools' held counts and free intervals. */
  rebuild(): void {
    const perPool = new Map<PoolSpace, Value[]>();
    for (const p of this.pools) {
      p.held = 0;
      perPool.set(p, []);
    }
    for (const entry of this.held.values()) {
      const p = this.locate(entry.value);
      entry.pool = p;
      if (p === undefined) continue;
      p.held++;
      perPool.get(p)?.push(entry.value);
    }
    for (const [p, values] of perPool) {
      const sorted = this.family === 'IPv4' ? Array.from(Float64Array.from(values as number[]).sort()) : values.sort(compareValues);
      const { starts, ends } = complement(p.first, p.last, sorted, this.#one);
      p.free.reset(starts, ends);
    }
  }

  #bindingKey(group: string | undefined, sharingKey: string): string {
    return `${group ?? ''}\u0000${sharingKey}`;
  }

  /** The address a sharing key is bound to in a group, if any. */
  boundTo(group: string | undefined, sharingKey: string): AddressEntry | undefined {
    return this.bindings.get(this.#bindingKey(group, sharingKey));
  }

  #bind(entry: AddressEntry): void {
    if (entry.sharingKey === undefined) return;
    const k = this.#bindingKey(entry.group, entry.sharingKey);
    if (!this.bindings.has(k)) this.bindings.set(k, entry);
  }

  #unbind(entry: AddressEntry): void {
    if (entry.sharingKey === undefined) return;
    const k = this.#bindingKey(entry.group, entry.sharingKey);
    if (this.bindings.get(k) === entry) this.bindings.delete(k);
  }

  /**
   * Holds a value not yet held, for one user. With `updateFree`, also takes it out of its pool's free
   * intervals (import defers that to one `rebuild`).
   */
  hold(v: Value, user: string, group: string | undefined, sharingKey: string | undefined, updateFree: boolean): AddressEntry {
    const pool = this.locate(v);
    if (pool !== undefined && updateFree) {
      if (!pool.free.claim(v)) throw new Error(`ipam-core: ${this.format(v)} is not free in its pool`);
      pool.held++;
    }
    const entry: AddressEntry = { family: this.family, value: v, text: this.format(v), sharingKey, group, users: [user], pool };
    this.held.set(v, entry);
    this.#bind(entry);
    return entry;
  }

  /** Takes the lowest free address of the pools, in the order given. */
  holdLowest(pools: readonly PoolSpace[], user: string, group: string, sharingKey: string | undefined): AddressEntry | undefined {
    for (const pool of pools) {
      const v = pool.free.takeLowest();
      if (v === undefined) continue;
      pool.held++;
      const entry: AddressEntry = { family: this.family, value: v, text: this.format(v), sharingKey, group, users: [user], pool };
      this.held.set(v, entry);
      this.#bind(entry);
      return entry;
    }
    return undefined;
  }

  /** The lowest free address of the pools, in the order given, without taking it. */
  lowest(pools: readonly PoolSpace[]): Value | undefined {
    for (const pool of pools) {
      const v = pool.free.lowest();
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Adds a user to a held address. */
  join(entry: AddressEntry, user: string): void {
    entry.users.push(user);
  }

  /** Changes the sharing key and group of an address held by a single user. */
  rekey(entry: AddressEntry, group: string | undefined, sharingKey: string | undefined): void {
    this.#unbind(entry);
    entry.group = group;
    entry.sharingKey = sharingKey;
    this.#bind(entry);
  }

  /** Removes a user; frees the address when it was the last one. Returns whether it was freed. */
  leave(entry: AddressEntry, user: string): boolean {
    const i = entry.users.indexOf(user);
    if (i >= 0) entry.users.splice(i, 1);
    if (entry.users.length > 0) return false;
    this.held.delete(entry.value);
    this.#unbind(entry);
    const pool = entry.pool;
    if (pool !== undefined) {
      pool.free.release(entry.value);
      pool.held--;
    }
    return true;
  }
}
