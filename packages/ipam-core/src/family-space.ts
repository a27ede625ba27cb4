// The address space of one family: every valid pool (sorted by first address, with its free
// intervals), every held address (in a pool or not), and the sharing-key bindings.
import { formatIpv4Number, formatIpv6Value, parseAddress, parseIpv4Number } from './address.ts';
import type { IpFamily } from './address.ts';
import { ChurnMap } from './churn-map.ts';
import {
  claimOffset,
  createPoolSpace,
  formatAt,
  offsetOf,
  releaseOffset,
  resetFree,
  takeLowestOffset,
  valueAt,
} from './pool-space.ts';
import type { Offset, PoolSpace as PoolSpaceOf, Value } from './pool-space.ts';
import type { Pool } from './service-group.ts';

export type { Value } from './pool-space.ts';

/** 0 = IPv4, 1 = IPv6. */
export type FamilyIndex = 0 | 1;

export const FAMILY_INDEXES: readonly FamilyIndex[] = [0, 1];

/** Parses an address straight to its family index and internal value (IPv4 without a bigint). */
export function parseValue(
  text: string,
): { readonly fi: FamilyIndex; readonly value: Value } | { readonly error: string } {
  const v4 = parseIpv4Number(text);
  if (v4 >= 0) return { fi: 0, value: v4 };
  const parsed = parseAddress(text);
  if (!parsed.ok) return { error: parsed.error.message };
  return parsed.value.family === 'IPv4'
    ? { fi: 0, value: Number(parsed.value.value) }
    : { fi: 1, value: parsed.value.value };
}

/** Who holds an address: the first user, and the group and sharing key it is bound under. */
export interface Holder {
  readonly user: string;
  readonly group: string | undefined;
  readonly sharingKey: string | undefined;
}

/** A valid pool inside a family space. */
export type PoolSpace = PoolSpaceOf<AddressEntry>;

/** One held address and the keys holding it (more than one only when shared). */
export interface AddressEntry {
  readonly family: IpFamily;
  /** The sharing key every user carries (undefined = not shareable). */
  sharingKey: string | undefined;
  /** The group the address is bound to for sharing purposes. */
  group: string | undefined;
  /** The first user. */
  user: string;
  /** Further users of a shared address. */
  sharers: string[] | undefined;
  pool: PoolSpace | undefined;
  /** Offset inside `pool` (meaningless without a pool). */
  offset: Offset;
  /** The value of an address outside every pool (meaningless inside one: see `entryValue`). */
  loose: Value;
}

/** The value of a held address (computed from pool and offset, so none is stored per address). */
export function entryValue(entry: AddressEntry): Value {
  return entry.pool === undefined ? entry.loose : valueAt(entry.pool, entry.offset);
}

/** Every user of an address, first user first. */
export function usersOf(entry: AddressEntry): readonly string[] {
  return entry.sharers === undefined ? [entry.user] : [entry.user, ...entry.sharers];
}

/** Whether anyone but `key` uses the address. */
export function hasOtherUsers(entry: AddressEntry, key: string): boolean {
  return entry.sharers !== undefined || entry.user !== key;
}

const compareValues = (a: Value, b: Value): number => (a < b ? -1 : a > b ? 1 : 0);

export class FamilySpace {
  readonly family: IpFamily;
  /** Valid pools sorted by first address (they never overlap). */
  pools: PoolSpace[] = [];
  /** Held addresses outside every pool. */
  readonly #outside = new ChurnMap<Value, AddressEntry>();
  /** `group \0 sharingKey` → the address that sharing key is bound to. */
  readonly #bindings = new Map<string, AddressEntry>();

  constructor(family: IpFamily) {
    this.family = family;
  }

  /** The internal value of an exact address value. */
  toValue(v: bigint): Value {
    return this.family === 'IPv4' ? Number(v) : v;
  }

  /** Canonical text of a held address. */
  formatEntry(entry: AddressEntry): string {
    return entry.pool === undefined ? this.format(entry.loose) : formatAt(entry.pool, entry.offset);
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

  /** The held address with this value, if any. */
  get(v: Value): AddressEntry | undefined {
    const pool = this.locate(v);
    return pool === undefined ? this.#outside.get(v) : pool.entries.get(offsetOf(pool, v));
  }

  /** Every held address, in no particular order. */
  *entries(): Generator<AddressEntry> {
    for (const p of this.pools) yield* p.entries.values();
    yield* this.#outside.values();
  }

  /** Creates the pool spaces of a pool, one per usable part (not yet part of the space; see `setPools`). */
  createPool(pool: Pool, place: { readonly group: string; readonly poolIndex: number }): PoolSpace[] {
    return pool.usable.map((range) => createPoolSpace(pool, { ...place, range }));
  }

  /** Replaces the pools and recomputes every free interval from the held addresses. */
  setPools(pools: readonly PoolSpace[]): void {
    const all = [...this.entries()].map((entry) => [entry, entryValue(entry)] as const);
    this.pools = [...pools].sort((a, b) => compareValues(a.first, b.first));
    for (const p of this.pools) p.entries.clear();
    this.#outside.clear();
    for (const [entry, value] of all) this.#place(entry, value);
    for (const p of this.pools) resetFree(p);
  }

  #place(entry: AddressEntry, value: Value): void {
    const pool = this.locate(value);
    entry.pool = pool;
    if (pool === undefined) {
      entry.loose = value;
      this.#outside.set(value, entry);
    } else {
      entry.offset = offsetOf(pool, value);
      entry.loose = 0;
      pool.entries.add(entry.offset, entry);
    }
  }

  /** Recomputes the free intervals of every pool from its held addresses. O(n log n). */
  rebuildFree(): void {
    for (const p of this.pools) resetFree(p);
  }

  #bindingKey(group: string | undefined, sharingKey: string): string {
    return `${group ?? ''}\u0000${sharingKey}`;
  }

  /**
   * The address a sharing key is bound to in a group, if any. Only an address inside a pool of that
   * group counts: one held outside every pool is never handed to another key.
   */
  boundTo(group: string | undefined, sharingKey: string): AddressEntry | undefined {
    const entry = this.#bindings.get(this.#bindingKey(group, sharingKey));
    return entry?.pool !== undefined && entry.pool.group === group ? entry : undefined;
  }

  #bind(entry: AddressEntry): void {
    if (entry.sharingKey === undefined) return;
    if (this.boundTo(entry.group, entry.sharingKey) === undefined)
      this.#bindings.set(this.#bindingKey(entry.group, entry.sharingKey), entry);
  }

  #unbind(entry: AddressEntry): void {
    if (entry.sharingKey === undefined) return;
    const k = this.#bindingKey(entry.group, entry.sharingKey);
    if (this.#bindings.get(k) === entry) this.#bindings.delete(k);
  }

  /**
   * Holds a value not yet held, for one user. With `updateFree`, also takes it out of its pool's free
   * intervals (an import defers that to one `rebuildFree`).
   */
  hold(v: Value, holder: Holder, options: { readonly updateFree: boolean }): AddressEntry {
    const { user, group, sharingKey } = holder;
    const entry: AddressEntry = {
      family: this.family,
      sharingKey,
      group,
      user,
      sharers: undefined,
      pool: undefined,
      offset: 0,
      loose: 0,
    };
    this.#place(entry, v);
    if (entry.pool !== undefined && options.updateFree && !claimOffset(entry.pool, entry.offset)) {
      throw new Error(`ipam-core: ${this.format(v)} is not free in its pool`);
    }
    this.#bind(entry);
    return entry;
  }

  /** Takes the lowest free address of a pool that has one. */
  holdLowest(pool: PoolSpace, holder: Holder): AddressEntry {
    const { user, group, sharingKey } = holder;
    const offset = takeLowestOffset(pool);
    if (offset === undefined) throw new Error('ipam-core: holdLowest on a full pool');
    const entry: AddressEntry = {
      family: this.family,
      sharingKey,
      group,
      user,
      sharers: undefined,
      pool,
      offset,
      loose: 0,
    };
    pool.entries.add(offset, entry);
    if (sharingKey !== undefined) this.#bind(entry);
    return entry;
  }

  /** Adds a user to a held address. */
  join(entry: AddressEntry, user: string): void {
    if (entry.sharers === undefined) entry.sharers = [user];
    else entry.sharers.push(user);
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
    const sharers = entry.sharers;
    if (sharers !== undefined) {
      if (entry.user === user) entry.user = sharers.shift() ?? user;
      else {
        const i = sharers.indexOf(user);
        if (i >= 0) sharers.splice(i, 1);
      }
      if (sharers.length === 0) entry.sharers = undefined;
      return false;
    }
    this.#unbind(entry);
    const pool = entry.pool;
    if (pool === undefined) {
      this.#outside.delete(entry.loose);
    } else {
      pool.entries.delete(entry.offset);
      releaseOffset(pool, entry.offset);
    }
    return true;
  }
}
