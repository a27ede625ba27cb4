// The allocation state across groups and families.
import { boundText } from './bound-text.ts';
import { parseAddress } from './address.ts';
import type { IpAddress, IpFamily } from './address.ts';
import { allocate } from './allocate.ts';
import type {
  AddressLocation,
  AllocatedAddress,
  Allocation,
  AllocationRequest,
  AllocationResult,
  ExistingAllocation,
  FamilyStats,
  GroupStats,
  ImportReport,
  OutsidePool,
  PoolStats,
} from './allocation.ts';
import type { PoolSpace } from './family-space.ts';
import { importAllocations } from './import-allocations.ts';
import {
  entryOf,
  FAMILY_INDEXES,
  familyIndex,
  IpamState,
  setEntry,
  toAllocatedAddress,
  toAllocation,
} from './ipam-state.ts';
import type { GroupState } from './ipam-state.ts';
import type { GroupCheck } from './validate-service-groups.ts';

/**
 * Allocation state: which key holds which address, and the free space of every valid group's pools.
 * Lowest-free, claim and release cost O(log n) in the number of free intervals, whatever the pool size.
 * Deterministic: the same sequence of calls gives the same addresses.
 */
export interface Ipam {
  /**
   * Replaces the groups (the output of `validateServiceGroups`; invalid ones are remembered so that
   * requests naming them fail with `GroupInvalid`). Every held address stays held. Returns the holdings
   * that are now outside every pool of their group (`AddressOutsidePool`).
   */
  setGroups(groups: readonly GroupCheck[]): readonly OutsidePool[];
  /** Takes existing allocations as they are (before any new allocation); reports problems as values. */
  importAllocations(existing: readonly ExistingAllocation[]): ImportReport;
  /** Gives the key what it asks for, or fails without changing anything. Idempotent. */
  allocate(request: AllocationRequest): AllocationResult;
  /** Releases the key's address of one family, or all of them. Returns what the key gave up. */
  release(key: string, family?: IpFamily): readonly AllocatedAddress[];
  /** What the key holds, if anything. */
  allocationOf(key: string): Allocation | undefined;
  /** Every holder, sorted by key. */
  allocations(): readonly Allocation[];
  /** Exact counts of a valid group; undefined for unknown or invalid groups. */
  groupStats(group: string): GroupStats | undefined;
  /** Exact counts of each pool of a valid group (IPv4 pools, then IPv6, in the order written); undefined for unknown or invalid groups. */
  poolStats(group: string): readonly PoolStats[] | undefined;
  /** The valid group and pool holding the address (text or value), if any. */
  locate(address: string | IpAddress): AddressLocation | undefined;
  /** Holdings outside every pool of their group, sorted by key then family. */
  outsidePool(): readonly OutsidePool[];
}

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function familyStats(pools: readonly PoolSpace[]): FamilyStats {
  let capacity = 0n;
  let held = 0;
  for (const p of pools) {
    capacity += p.capacity;
    held += p.entries.size;
  }
  const allocated = BigInt(held);
  return { capacity, allocated, available: capacity - allocated };
}

class IpamImpl implements Ipam {
  readonly #state = new IpamState();

  setGroups(groups: readonly GroupCheck[]): readonly OutsidePool[] {
    const state = this.#state;
    const next = new Map<string, GroupState>();
    const all: [PoolSpace[], PoolSpace[]] = [[], []];
    for (const check of groups) {
      if (next.has(check.name)) continue;
      if (!check.ok) {
        next.set(check.name, { check, pools: [[], []] });
        continue;
      }
      const [v4, v6] = state.spaces;
      const pools: [PoolSpace[], PoolSpace[]] = [
        check.value.v4pools.flatMap((p, i) => v4.createPool(p, { group: check.name, poolIndex: i })),
        check.value.v6pools.flatMap((p, i) => v6.createPool(p, { group: check.name, poolIndex: i })),
      ];
      all[0].push(...pools[0]);
      all[1].push(...pools[1]);
      next.set(check.name, { check, pools });
    }
    state.groups = next;
    state.spaces[0].setPools(all[0]);
    state.spaces[1].setPools(all[1]);
    return this.outsidePool();
  }

  importAllocations(existing: readonly ExistingAllocation[]): ImportReport {
    return importAllocations(this.#state, existing);
  }

  allocate(request: AllocationRequest): AllocationResult {
    return allocate(this.#state, request);
  }

  release(key: string, family?: IpFamily): readonly AllocatedAddress[] {
    const rec = this.#state.keys.get(key);
    if (rec === undefined) return [];
    const released: AllocatedAddress[] = [];
    for (const fi of family === undefined ? FAMILY_INDEXES : [familyIndex(family)]) {
      const entry = entryOf(rec, fi);
      if (entry === undefined) continue;
      const space = this.#state.spaces[fi];
      space.leave(entry, key);
      setEntry(rec, fi, undefined);
      released.push(toAllocatedAddress(space, entry));
    }
    if (rec.v4 === undefined && rec.v6 === undefined) this.#state.keys.delete(key);
    return released;
  }

  allocationOf(key: string): Allocation | undefined {
    const rec = this.#state.keys.get(key);
    return rec === undefined ? undefined : toAllocation(this.#state, rec);
  }

  allocations(): readonly Allocation[] {
    return [...this.#state.keys.values()].sort(byKey).map((rec) => toAllocation(this.#state, rec));
  }

  groupStats(group: string): GroupStats | undefined {
    const gs = this.#state.groups.get(group);
    if (gs?.check.ok !== true) return undefined;
    return { group, IPv4: familyStats(gs.pools[0]), IPv6: familyStats(gs.pools[1]) };
  }

  poolStats(group: string): readonly PoolStats[] | undefined {
    const gs = this.#state.groups.get(group);
    if (gs?.check.ok !== true) return undefined;
    return [gs.check.value.v4pools, gs.check.value.v6pools].flatMap((pools, fi) =>
      pools.map((pool, poolIndex): PoolStats => {
        const parts = (gs.pools[fi] ?? []).filter((p) => p.poolIndex === poolIndex);
        return { family: pool.family, pool, poolIndex, ...familyStats(parts) };
      }),
    );
  }

  locate(address: string | IpAddress): AddressLocation | undefined {
    let addr: IpAddress;
    if (typeof address === 'string') {
      const parsed = parseAddress(address);
      if (!parsed.ok) return undefined;
      addr = parsed.value;
    } else {
      addr = address;
    }
    const space = this.#state.spaces[familyIndex(addr.family)];
    const p = space.locate(space.toValue(addr.value));
    return p === undefined ? undefined : { group: p.group, pool: p.pool, poolIndex: p.poolIndex };
  }

  outsidePool(): readonly OutsidePool[] {
    const out: OutsidePool[] = [];
    for (const rec of [...this.#state.keys.values()].sort(byKey)) {
      for (const fi of FAMILY_INDEXES) {
        const entry = entryOf(rec, fi);
        if (entry === undefined) continue;
        const pool = entry.pool;
        const text = this.#state.spaces[fi].formatEntry(entry);
        if (pool !== undefined && (rec.group === undefined || pool.group === rec.group)) continue;
        const where = rec.group === undefined ? 'any valid service group' : `service group ${boundText(rec.group)}`;
        out.push({
          code: 'AddressOutsidePool',
          key: rec.key,
          ...(rec.group === undefined ? {} : { group: rec.group }),
          family: entry.family,
          address: text,
          message: `${text} of "${rec.key}" is outside every pool of ${where}`,
        });
      }
    }
    return out;
  }
}

/** Creates an allocation state over the given groups (see `Ipam.setGroups`). */
export function createIpam(groups: readonly GroupCheck[] = []): Ipam {
  const ipam = new IpamImpl();
  ipam.setGroups(groups);
  return ipam;
}
