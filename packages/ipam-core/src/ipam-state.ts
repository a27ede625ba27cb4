// The mutable state behind `Ipam`: the two family spaces, the groups and the key records.
import type { IpFamily } from './address.ts';
import type { Allocation, AllocatedAddress, PortSpec } from './allocation.ts';
import { FamilySpace } from './family-space.ts';
import type { AddressEntry, PoolSpace } from './family-space.ts';
import type { GroupCheck } from './validate-service-groups.ts';

/** 0 = IPv4, 1 = IPv6. */
export type FamilyIndex = 0 | 1;

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
  readonly entries: [AddressEntry | undefined, AddressEntry | undefined];
}

export class IpamState {
  readonly spaces: readonly [FamilySpace, FamilySpace] = [new FamilySpace('IPv4'), new FamilySpace('IPv6')];
  groups = new Map<string, GroupState>();
  readonly keys = new Map<string, KeyRecord>();
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

export function toAllocatedAddress(entry: AddressEntry): AllocatedAddress {
  return { family: entry.family, address: entry.text };
}

/** The public view of a key record. */
export function toAllocation(rec: KeyRecord): Allocation {
  const addresses: AllocatedAddress[] = [];
  const [v4, v6] = rec.entries;
  if (v4 !== undefined) addresses.push({ family: 'IPv4', address: v4.text });
  if (v6 !== undefined) addresses.push({ family: 'IPv6', address: v6.text });
  return {
    key: rec.key,
    ...(rec.group === undefined ? {} : { group: rec.group }),
    addresses,
    ...(rec.sharingKey === undefined ? {} : { sharingKey: rec.sharingKey }),
    ports: rec.ports,
  };
}
