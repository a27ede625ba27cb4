// The prefix length of a virtual address: the aggregation of the pool it came from (`default` = the
// pool's subnet prefix). The Service's group is searched first, then every valid group; an address
// in no pool gets a host prefix (/32, /128), so it never claims a network it does not own.
import { aggregationPrefixLength, familyBits, groupPools, parseAddress, rangeContains } from '@purelb/ipam-core';
import type { ServiceGroup } from '@purelb/ipam-core';
import type { ServiceAddress, ServiceView } from './objects-to-domain.ts';

export function virtualPrefixLength(
  groups: ReadonlyMap<string, ServiceGroup>,
): (service: ServiceView, address: ServiceAddress) => number {
  return (service, address) => {
    const parsed = parseAddress(address.address);
    if (!parsed.ok) return familyBits(address.family);
    const own = service.group === undefined ? undefined : groups.get(service.group);
    for (const group of own === undefined ? groups.values() : [own, ...groups.values()]) {
      for (const pool of groupPools(group, address.family)) {
        if (rangeContains(pool.range, parsed.value)) return aggregationPrefixLength(pool.aggregation, pool.subnet);
      }
    }
    return familyBits(address.family);
  };
}
