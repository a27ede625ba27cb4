// SPEC §4.5, the sharing rule, in one place for allocation and import alike: two keys share an address
// only if both carry the same non-empty sharing key and none of their (protocol, port) pairs collide.
import type { AllocationError, PortSpec } from './allocation.ts';
import { usersOf } from './family-space.ts';
import type { AddressEntry } from './family-space.ts';
import { familyIndex, findPortCollision } from './ipam-state.ts';
import type { IpamState } from './ipam-state.ts';

/** Who wants to use an address: its key, its sharing key (undefined: it shares with nobody), its ports. */
export interface Sharer {
  readonly key: string;
  readonly sharingKey: string | undefined;
  readonly ports: readonly PortSpec[];
}

/** Why a key may not use an address next to its other users; `otherKey` is the user it collides with. */
export type SharingConflict = Extract<AllocationError, { readonly code: 'AddressInUse' | 'PortConflict' }>;

const NO_PORTS: readonly PortSpec[] = [];

/** The first user of `entry` that `sharer` may not share it with, as a conflict; undefined when it may use it. */
export function findSharingConflict(
  state: IpamState,
  entry: AddressEntry,
  sharer: Sharer,
): SharingConflict | undefined {
  for (const other of usersOf(entry)) {
    if (other === sharer.key) continue;
    const address = state.spaces[familyIndex(entry.family)].formatEntry(entry);
    if (sharer.sharingKey === undefined || entry.sharingKey !== sharer.sharingKey) {
      const why = sharer.sharingKey === undefined ? 'and this key has no sharing key' : 'under another sharing key';
      return {
        code: 'AddressInUse',
        address,
        otherKey: other,
        message: `address ${address} is in use by "${other}" ${why}`,
      };
    }
    const port = findPortCollision(sharer.ports, state.keys.get(other)?.ports ?? NO_PORTS);
    if (port !== undefined) {
      const message = `port ${port.protocol}/${port.port} on ${address} is already used by "${other}"`;
      return { code: 'PortConflict', address, otherKey: other, port, message };
    }
  }
  return undefined;
}
