// The mutable state behind `Ipam`: the two family spaces, the groups and the key records.
import type { IpFamily } from './address.ts';
import type { Allocation, AllocatedAddress, PortSpec } from './allocation.ts';
import { ChurnMap } from './churn-map.ts';
import { FamilySpace } from './family-space.ts';
import type { AddressEntry, FamilyIndex, PoolSpace } from './family-space.ts';

export type { FamilyIndex } from './family-space.ts';
export { FAMILY_INDEXES } from './family-space.ts';
import type { GroupCheck } from './validate-service-groups.ts';

export const familyIndex = (f: IpFamily): FamilyIndex => (f === 'IPv4' ? 0 : 1);

/** A group as the state knows it; `pools` is empty for invalid groups. */
export interface GroupState {
  readonly check: GroupCheck;
  readonly pools: readonly [readonly PoolSpace[], readonly PoolSpace[]];
}

/** What one key holds. */
export interface KeyRecord {
  readonly key: string;
  group: string | undefined;
  sharingKey: string | undefined;
  ports: readonly PortSpec[];
  v4: AddressEntry | undefined;
  v6: AddressEntry | undefined;
}

export const entryOf = (rec: KeyRecord, fi: FamilyIndex): AddressEntry | undefined => (fi === 0 ? rec.v4 : rec.v6);

export function setEntry(rec: KeyRecord, fi: FamilyIndex, entry: AddressEntry | undefined): void {
  if (fi === 0) rec.v4 = entry;
  else rec.v6 = entry;
}

/** A new record holding nothing yet. */
export function newRecord(init: Pick<KeyRecord, 'key' | 'group' | 'sharingKey' | 'ports'>): KeyRecord {
  const { key, group, sharingKey, ports } = init;
  return { key, group, sharingKey, ports, v4: undefined, v6: undefined };
}

export class IpamState {
  readonly spaces: readonly [FamilySpace, FamilySpace] = [new FamilySpace('IPv4'), new FamilySpace('IPv6')];
  groups = new Map<string, GroupState>();
  readonly keys = new ChurnMap<string, KeyRecord>();
}

/** The first (protocol, port) of `ports` that `other` uses too. */
export function findPortCollision(ports: readonly PortSpec[], other: readonly PortSpec[]): PortSpec | undefined {
  for (const p of ports) {
    for (const o of other) if (p.port === o.port && p.protocol === o.protocol) return p;
  }
  return undefined;
}

export function samePorts(a: readonly PortSpec[], b: readonly PortSpec[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => p.port === b[i]?.port && p.protocol === b[i].protocol);
}

export function toAllocatedAddress(space: FamilySpace, entry: AddressEntry): AllocatedAddress {
  return { family: entry.family, address: space.formatEntry(entry) };
}

/** The public view of a key record. */
export function toAllocation(state: IpamState, rec: KeyRecord): Allocation {
  const { v4, v6 } = rec;
  const [s4, s6] = state.spaces;
  const addresses: AllocatedAddress[] =
    v4 === undefined
      ? v6 === undefined
        ? []
        : [{ family: 'IPv6', address: s6.formatEntry(v6) }]
      : v6 === undefined
        ? [{ family: 'IPv4', address: s4.formatEntry(v4) }]
        : [
            { family: 'IPv4', address: s4.formatEntry(v4) },
            { family: 'IPv6', address: s6.formatEntry(v6) },
          ];
  const { key, group, sharingKey, ports } = rec;
  const view: Allocation =
    sharingKey === undefined
      ? group === undefined
        ? { key, addresses, ports }
        : { key, group, addresses, ports }
      : group === undefined
        ? { key, addresses, sharingKey, ports }
        : { key, group, addresses, sharingKey, ports };
  return view;
}
