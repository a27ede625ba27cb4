// One valid pool inside the state. Free space is kept as offsets from the pool's first address:
// numbers for offsets below 2^53 (the `head`, which is every pool in practice and keeps the hot path
// free of bigint arithmetic and heap numbers), bigints above (the `tail` of pools larger than 2^53,
// e.g. a /64, reached only by explicit requests or after 2^53 allocations).
import { formatIpv4Number, formatIpv6Words, ipv6Words } from './address.ts';
import { rangeSize } from './address-range.ts';
import type { AddressRange } from './address-range.ts';
import { OffsetStore } from './offset-store.ts';
import { FreeIntervals } from './free-intervals.ts';
import type { Pool } from './service-group.ts';

/** An address value inside the state: a number for IPv4, a bigint for IPv6. */
export type Value = number | bigint;

/** An offset from a pool's first address: a number below 2^53, else a bigint. */
export type Offset = number | bigint;

const HEAD_LIMIT = 2 ** 53;
const HEAD_LIMIT_N = 2n ** 53n;

/**
 * A pool (or one usable part of it, when it keeps addresses back), its free space and the held
 * addresses inside it (values stored by the family space).
 */
export interface PoolSpace<E> {
  readonly pool: Pool;
  readonly group: string;
  readonly poolIndex: number;
  readonly first: Value;
  readonly last: Value;
  readonly capacity: bigint;
  /** Free offsets below 2^53. */
  readonly head: FreeIntervals<number>;
  /** Free offsets from 2^53 on, for pools that large. */
  readonly tail: FreeIntervals<bigint> | undefined;
  /** Held addresses inside the pool, by offset. */
  readonly entries: OffsetStore<E>;
  /** The 16-bit words of the first address (IPv6 only), for formatting without bigint arithmetic. */
  readonly firstWords: readonly number[] | undefined;
}

/** Where a pool space sits: its group, the pool's index in the group's family list, and the part of the pool it covers. */
export interface PoolPlace {
  readonly group: string;
  readonly poolIndex: number;
  /** One usable part of the pool (a pool with kept-back addresses has several); default the whole range. */
  readonly range?: AddressRange;
}

export function createPoolSpace<E>(pool: Pool, place: PoolPlace): PoolSpace<E> {
  const v4 = pool.family === 'IPv4';
  const range = place.range ?? pool.range;
  const capacity = rangeSize(range);
  return {
    pool,
    group: place.group,
    poolIndex: place.poolIndex,
    first: v4 ? Number(range.first) : range.first,
    last: v4 ? Number(range.last) : range.last,
    capacity,
    head: new FreeIntervals<number>(1),
    tail: capacity > HEAD_LIMIT_N ? new FreeIntervals<bigint>(1n) : undefined,
    entries: new OffsetStore(),
    firstWords: v4 ? undefined : ipv6Words(range.first),
  };
}

/** The offset of a value inside the pool (the value must lie in it). */
export function offsetOf(pool: PoolSpace<unknown>, v: Value): Offset {
  if (typeof v === 'number') return v - (pool.first as number);
  const offset = v - (pool.first as bigint);
  return offset < HEAD_LIMIT_N ? Number(offset) : offset;
}

/** The value at an offset of the pool. */
export function valueAt(pool: PoolSpace<unknown>, offset: Offset): Value {
  if (typeof pool.first === 'number') return pool.first + (offset as number);
  return pool.first + (typeof offset === 'number' ? BigInt(offset) : offset);
}

/** Canonical text of the address at an offset of the pool. */
export function formatAt(pool: PoolSpace<unknown>, offset: Offset): string {
  const words = pool.firstWords;
  if (words === undefined) return formatIpv4Number((pool.first as number) + (offset as number));
  if (typeof offset !== 'number') return formatIpv6Words(ipv6Words((pool.first as bigint) + offset));
  // Add the offset (below 2^53) to the first address word by word, carrying upwards.
  const out = words.slice();
  let carry = offset;
  for (let i = 7; i >= 0 && carry > 0; i--) {
    const sum = (out[i] as number) + (carry % 65536);
    carry = Math.floor(carry / 65536) + (sum > 0xffff ? 1 : 0);
    out[i] = sum & 0xffff;
  }
  return formatIpv6Words(out);
}

/** Whether any address of the pool is free. */
export function poolHasFree(pool: PoolSpace<unknown>): boolean {
  return pool.head.intervalCount > 0 || (pool.tail !== undefined && pool.tail.intervalCount > 0);
}

/** Takes the lowest free offset, or undefined when the pool is full. */
export function takeLowestOffset(pool: PoolSpace<unknown>): Offset | undefined {
  return pool.head.takeLowest() ?? pool.tail?.takeLowest();
}

/** Marks a free offset as taken; false when it was not free. */
export function claimOffset(pool: PoolSpace<unknown>, offset: Offset): boolean {
  return typeof offset === 'number' ? pool.head.claim(offset) : pool.tail?.claim(offset) === true;
}

/** Marks a taken offset as free; false when it was already free. */
export function releaseOffset(pool: PoolSpace<unknown>, offset: Offset): boolean {
  return typeof offset === 'number' ? pool.head.release(offset) : pool.tail?.release(offset) === true;
}

/** Rebuilds the free space as the pool minus the offsets of its held entries. O(n log n). */
export function resetFree(pool: PoolSpace<unknown>): void {
  const small: number[] = [];
  const large: bigint[] = [];
  for (const [offset] of pool.entries.entries()) {
    if (typeof offset === 'number') small.push(offset);
    else large.push(offset);
  }
  const size = pool.capacity;
  const headEnd = size > HEAD_LIMIT_N ? HEAD_LIMIT - 1 : Number(size) - 1;
  const heldSmall = Float64Array.from(small).sort();
  const starts: number[] = [];
  const ends: number[] = [];
  let cursor = 0;
  for (const o of heldSmall) {
    if (o > cursor) {
      starts.push(cursor);
      ends.push(o - 1);
    }
    cursor = o + 1;
  }
  if (cursor <= headEnd) {
    starts.push(cursor);
    ends.push(headEnd);
  }
  pool.head.reset(starts, ends);
  if (pool.tail === undefined) return;
  large.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bigStarts: bigint[] = [];
  const bigEnds: bigint[] = [];
  let big = HEAD_LIMIT_N;
  for (const o of large) {
    if (o > big) {
      bigStarts.push(big);
      bigEnds.push(o - 1n);
    }
    big = o + 1n;
  }
  if (big <= size - 1n) {
    bigStarts.push(big);
    bigEnds.push(size - 1n);
  }
  pool.tail.reset(bigStarts, bigEnds);
}
