// The vocabulary of allocation: requests, results, the closed set of failure codes, import and
// reconfiguration reports, statistics. Domain types only; the allocator translates Services.
import type { IpFamily } from './address.ts';
import type { Pool } from './service-group.ts';

/** `spec.ipFamilyPolicy` of a Service. */
export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/** A transport protocol of a service port. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** One (protocol, port) pair a key uses on its address; used to decide whether keys may share. */
export interface PortSpec {
  readonly protocol: Protocol;
  readonly port: number;
}

/** The group a request without a group is allocated from (a Service without a group annotation). */
export const DEFAULT_SERVICE_GROUP = 'default';

/** What a key (e.g. `namespace/name` of a Service) wants. */
export interface AllocationRequest {
  /** Identifies the holder; any non-empty string. */
  readonly key: string;
  /** Group to allocate from; `DEFAULT_SERVICE_GROUP` when absent. Requested addresses select their own group. */
  readonly group?: string;
  /** Families in preference order (`spec.ipFamilies`); empty = IPv4 then IPv6. */
  readonly ipFamilies: readonly IpFamily[];
  readonly ipFamilyPolicy: IpFamilyPolicy;
  /** Exact addresses wanted, at most one per family (text; whitespace tolerated). */
  readonly requestedAddresses?: readonly string[];
  /** Non-empty = willing to share its address with other keys carrying the same sharing key. */
  readonly sharingKey?: string;
  readonly ports?: readonly PortSpec[];
}

/** One address held by a key. */
export interface AllocatedAddress {
  readonly family: IpFamily;
  /** Canonical text form. */
  readonly address: string;
}

/** Everything a key holds. */
export interface Allocation {
  readonly key: string;
  /** The group the addresses came from; absent only for imported addresses outside every pool. */
  readonly group?: string;
  /** At most one per family, IPv4 first. */
  readonly addresses: readonly AllocatedAddress[];
  readonly sharingKey?: string;
  readonly ports: readonly PortSpec[];
}

/** The closed set of allocation failure codes (SPEC §4.9 minus `Allocated`). */
export type AllocationErrorCode =
  | 'GroupNotFound'
  | 'GroupInvalid'
  | 'PoolExhausted'
  | 'AddressNotInPool'
  | 'AddressInUse'
  | 'PortConflict'
  | 'FamilyUnavailable'
  | 'InvalidAnnotation';

/** A failed allocation, as a value. `message` is a sentence for humans (Events, conditions). */
export type AllocationError =
  | { readonly code: 'GroupNotFound'; readonly message: string; readonly group: string }
  | { readonly code: 'GroupInvalid'; readonly message: string; readonly group: string }
  | { readonly code: 'PoolExhausted'; readonly message: string; readonly group: string; readonly family: IpFamily }
  | { readonly code: 'AddressNotInPool'; readonly message: string; readonly address: string }
  | { readonly code: 'AddressInUse'; readonly message: string; readonly address: string; readonly otherKey: string }
  | {
      readonly code: 'PortConflict';
      readonly message: string;
      readonly address: string;
      readonly otherKey: string;
      readonly port: PortSpec;
    }
  | { readonly code: 'FamilyUnavailable'; readonly message: string; readonly group: string; readonly family: IpFamily }
  | { readonly code: 'InvalidAnnotation'; readonly message: string };

/** The outcome of `allocate`. On failure nothing changed. */
export type AllocationResult =
  | {
      readonly ok: true;
      /** Everything the key holds now. */
      readonly value: Allocation;
      /** False when the key already held exactly this (idempotent re-request). */
      readonly changed: boolean;
      /** Addresses the key gave up: families no longer wanted, or moved addresses. */
      readonly released: readonly AllocatedAddress[];
    }
  | { readonly ok: false; readonly error: AllocationError };

/** An allocation that already exists (e.g. read from Service status at start-up). */
export interface ExistingAllocation {
  readonly key: string;
  /**
   * The group the address was given from (e.g. recorded next to it), if known: it stays the holder's
   * group even when another group's pool holds the address now. Unset: the group of that pool.
   */
  readonly group?: string;
  /** Address texts, at most one per family. */
  readonly addresses: readonly string[];
  readonly sharingKey?: string;
  readonly ports?: readonly PortSpec[];
}

/** The closed set of import problem codes. Closed, but may grow in a minor release: keep a default branch. */
export type ImportIssueCode = ImportIssue['code'];

/** A problem found while importing; the import itself never fails. */
export type ImportIssue =
  /** `address` is already held by `heldBy` and the two may not share; `key` does not get it. */
  | {
      readonly code: 'AddressCollision';
      readonly message: string;
      readonly key: string;
      readonly address: string;
      readonly heldBy: string;
    }
  /** `address` lies in no pool of any valid group; `key` keeps holding it. */
  | { readonly code: 'AddressOutsidePool'; readonly message: string; readonly key: string; readonly address: string }
  /** The text is not an address, or the key lists two addresses of one family; skipped. */
  | { readonly code: 'MalformedAddress'; readonly message: string; readonly key: string; readonly address: string };

/** The outcome of `importAllocations`. */
export interface ImportReport {
  /** Number of (key, address) pairs now held. */
  readonly imported: number;
  readonly issues: readonly ImportIssue[];
}

/** A held address that is no longer inside any pool of its key's group (a problem, so it has a code). */
export interface OutsidePool {
  readonly code: 'AddressOutsidePool';
  readonly message: string;
  readonly key: string;
  readonly group?: string;
  readonly family: IpFamily;
  readonly address: string;
}

/** Exact counts for one family of one group. Shared addresses count once. */
export interface FamilyStats {
  readonly capacity: bigint;
  readonly allocated: bigint;
  readonly available: bigint;
}

/** Exact counts for one pool of a group, as written (a pool that keeps addresses back counts only what it hands out). */
export interface PoolStats extends FamilyStats {
  readonly family: IpFamily;
  readonly pool: Pool;
  /** Index of the pool within its family's pool list of the group. */
  readonly poolIndex: number;
}

/** Exact counts for a group. */
export interface GroupStats {
  readonly group: string;
  readonly IPv4: FamilyStats;
  readonly IPv6: FamilyStats;
}

/** Where an address lies: the valid group and pool holding it. */
export interface AddressLocation {
  readonly group: string;
  readonly pool: Pool;
  /** Index of the pool within its family's pool list of the group. */
  readonly poolIndex: number;
}
