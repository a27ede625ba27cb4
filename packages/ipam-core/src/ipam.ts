// The allocation state across groups and families.
import type { IpAddress, IpFamily } from './address.ts';
import type {
  AddressLocation,
  AllocatedAddress,
  Allocation,
  AllocationRequest,
  AllocationResult,
  ExistingAllocation,
  GroupStats,
  ImportReport,
  OutsidePool,
} from './allocation.ts';
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
  /** The valid group and pool holding the address (text or value), if any. */
  locate(address: string | IpAddress): AddressLocation | undefined;
  /** Holdings outside every pool of their group, sorted by key then family. */
  outsidePool(): readonly OutsidePool[];
}

/** Creates an empty allocation state over the given groups. */
export function createIpam(groups: readonly GroupCheck[] = []): Ipam {
  void groups;
  throw new Error('createIpam: not implemented yet');
}
