// A ServiceGroup's `spec` (plain JSON, typed unknown) → a normalised group with its pools, or the
// list of located errors that make it unusable.
import type { IpFamily } from './address.ts';
import type { AddressRange, Cidr } from './address-range.ts';
import type { Aggregation } from './aggregation.ts';

/** One usable pool of a group. */
export interface Pool {
  readonly family: IpFamily;
  readonly range: AddressRange;
  readonly subnet: Cidr;
  readonly aggregation: Aggregation;
  /** Where the pool was written, e.g. `spec.local.v4pools[1]`. */
  readonly path: string;
  /** Whether the subnet's network, broadcast or subnet-router anycast addresses are kept back (the pool's own `avoidBuggyIPs`, else its group's). */
  readonly avoidBuggyIPs: boolean;
  /** The `exclude` entries as written, as ranges. */
  readonly exclude: readonly AddressRange[];
  /** What the pool hands out: `range` minus the addresses kept back, in ascending order (empty when nothing is left). */
  readonly usable: readonly AddressRange[];
}

/** A normalised, valid group. Each family's pools are in the order written. */
export interface ServiceGroup {
  readonly name: string;
  readonly v4pools: readonly Pool[];
  readonly v6pools: readonly Pool[];
}

/** Why a group is not usable, as written on its `Ready` condition. Closed, but may grow in a minor release. */
export type GroupErrorCode = 'InvalidPool' | 'Overlap';

/** One located validation error. Display it as `${path}: ${message}`. */
export interface GroupError {
  readonly code: GroupErrorCode;
  readonly message: string;
  /** Where, e.g. `spec.local.v4pools[1].pool`. */
  readonly path: string;
  /** For cross-group overlaps: the group that keeps the addresses. */
  readonly otherGroup?: string;
}

/** `{ ok: true, value }` or `{ ok: false, errors }`. */
export type Validated<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly GroupError[] };

/** The pools of a group of one family. */
export function groupPools(group: ServiceGroup, family: IpFamily): readonly Pool[] {
  return family === 'IPv4' ? group.v4pools : group.v6pools;
}

/** `path: message` for each error, joined by `; `. */
export function formatGroupErrors(errors: readonly GroupError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}
