// "Which link and prefix on this node hold a subnet containing address X" (SPEC §5.2), over a list of
// addresses. Pure; the real driver and the fake both answer with it.
import { formatAddress, parseAddress, parseCidr } from '@purelb/ipam-core';
import type { Address, SubnetMatch } from './netlink-driver.ts';

/** Whether the address defines a subnet of the node: configured by someone else, in use, not host-local. */
function definesSubnet(a: Address): boolean {
  return !a.owned && !a.flags.tentative && !a.flags.dadFailed && a.scope !== 'host' && a.scope !== 'nowhere';
}

/**
 * The longest-prefix subnet among `addresses` (optionally on one link) that contains `target`, or
 * undefined. `target` must be valid address text (callers check it).
 */
export function findSubnetIn(addresses: readonly Address[], target: string, link?: string): SubnetMatch | undefined {
  const wanted = parseAddress(target);
  if (!wanted.ok) return undefined;
  let best: SubnetMatch | undefined;
  for (const a of addresses) {
    if (a.family !== wanted.value.family || (link !== undefined && a.link !== link) || !definesSubnet(a)) continue;
    const cidr = parseCidr(`${a.address}/${a.prefixLength}`);
    if (!cidr.ok || wanted.value.value < cidr.value.first || wanted.value.value > cidr.value.last) continue;
    if (best !== undefined && best.prefixLength >= a.prefixLength) continue;
    best = {
      link: a.link,
      linkIndex: a.linkIndex,
      address: a.address,
      prefixLength: a.prefixLength,
      subnet: `${formatAddress({ family: a.family, value: cidr.value.first })}/${a.prefixLength}`,
    };
  }
  return best;
}
