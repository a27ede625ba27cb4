// Which interface local addresses go on, per family, and the subnets it is on.
import { IP_FAMILIES, parseAddress, parseCidr, rangeContains } from '@purelb/ipam-core';
import type { Cidr, IpAddress, IpFamily } from '@purelb/ipam-core';
import type { NetworkView } from './node-network.ts';
import type { AgentConfig } from './parse-agent-config.ts';

export interface LocalInterface {
  readonly name: string;
  /** The networks of the interface's own addresses (not ours), most specific first. */
  readonly subnets: readonly Cidr[];
}

export type LocalInterfaces = Readonly<Partial<Record<IpFamily, LocalInterface>>>;

const linkLocalV6 = parseCidr('fe80::/10');

function subnetsOf(view: NetworkView, name: string, family: IpFamily): Cidr[] {
  const out: Cidr[] = [];
  for (const a of view.addresses) {
    if (a.interface !== name || a.family !== family || a.ours) continue;
    const parsed = parseCidr(`${a.address}/${a.prefixLength}`);
    if (!parsed.ok) continue;
    const cidr = parsed.value;
    if (linkLocalV6.ok && family === 'IPv6' && rangeContains(linkLocalV6.value, { family, value: cidr.address }))
      continue;
    if (!out.some((c) => c.first === cidr.first && c.prefixLength === cidr.prefixLength)) out.push(cidr);
  }
  return out.sort((a, b) => b.prefixLength - a.prefixLength);
}

/**
 * `default`: per family, the interface of the best default route that has an address of that
 * family. A pattern: per family, the first interface (by index) whose name matches and has an
 * address of that family. The virtual interface and loopback are never chosen.
 */
export function selectLocalInterfaces(config: AgentConfig, view: NetworkView): LocalInterfaces {
  const out: Partial<Record<IpFamily, LocalInterface>> = {};
  const usable = (name: string): boolean => name !== config.virtualInterface && name !== 'lo';
  for (const family of IP_FAMILIES) {
    const names =
      config.localInterface.kind === 'default'
        ? view.defaultRoutes[family]
        : view.links
            .map((l) => l.name)
            .filter((n) => (config.localInterface.kind === 'pattern' ? config.localInterface.regex.test(n) : false));
    for (const name of names) {
      if (!usable(name)) continue;
      const subnets = subnetsOf(view, name, family);
      if (subnets.length === 0) continue;
      out[family] = { name, subnets };
      break;
    }
  }
  return out;
}

/** The subnet of the interface holding the address (the most specific), if any. */
export function subnetHolding(local: LocalInterface | undefined, address: string | IpAddress): Cidr | undefined {
  if (local === undefined) return undefined;
  let ip: IpAddress;
  if (typeof address === 'string') {
    const parsed = parseAddress(address);
    if (!parsed.ok) return undefined;
    ip = parsed.value;
  } else {
    ip = address;
  }
  return local.subnets.find((s) => rangeContains(s, ip));
}
