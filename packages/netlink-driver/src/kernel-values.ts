// Kernel records (rtnetlink-codec) turned into the driver's values.
import { bytesToAddress, familyOfAf, formatMac } from './address-bytes.ts';
import type { Address, AddressScope, DefaultRoute, Link, LinkState } from './netlink-driver.ts';
import type { AddressRecord, LinkRecord, RouteRecord } from './rtnetlink-codec.ts';
import { IFA_F, IFF_UP, RT_TABLE_MAIN, RTN_UNICAST } from './rtnetlink-codec.ts';

const OPER_STATES: readonly LinkState[] = [
  'unknown',
  'notPresent',
  'down',
  'lowerLayerDown',
  'testing',
  'dormant',
  'up',
];

export function linkFromRecord(record: LinkRecord): Link {
  const link: { -readonly [K in keyof Link]: Link[K] } = {
    index: record.index,
    name: record.name,
    adminUp: (record.flags & IFF_UP) !== 0,
    state: OPER_STATES[record.operState] ?? 'unknown',
  };
  if (record.kind !== undefined) link.kind = record.kind;
  if (record.mac !== undefined && record.mac.length > 0) link.mac = formatMac(record.mac);
  return link;
}

function scopeOf(scope: number): AddressScope {
  switch (scope) {
    case 0:
      return 'global';
    case 200:
      return 'site';
    case 253:
      return 'link';
    case 254:
      return 'host';
    case 255:
      return 'nowhere';
    default:
      return 'other';
  }
}

/** The address as a value; undefined for families other than IPv4/IPv6 or links not in `names`. */
export function addressFromRecord(
  record: AddressRecord,
  names: ReadonlyMap<number, string>,
  ownProtocol: number,
): Address | undefined {
  const family = familyOfAf(record.family);
  const link = names.get(record.index);
  if (family === undefined || link === undefined) return undefined;
  const has = (flag: number): boolean => (record.flags & flag) !== 0;
  return {
    link,
    linkIndex: record.index,
    family,
    address: bytesToAddress(family, record.address),
    prefixLength: record.prefixLength,
    scope: scopeOf(record.scope),
    flags: {
      noPrefixRoute: has(IFA_F.NOPREFIXROUTE),
      noDad: has(IFA_F.NODAD),
      tentative: has(IFA_F.TENTATIVE),
      dadFailed: has(IFA_F.DADFAILED),
      deprecated: has(IFA_F.DEPRECATED),
      secondary: has(IFA_F.SECONDARY),
    },
    protocol: record.protocol,
    owned: record.protocol === ownProtocol,
  };
}

/** Default routes of the main table, one per output link, lowest metric first. */
export function defaultRoutesFromRecords(
  records: readonly RouteRecord[],
  names: ReadonlyMap<number, string>,
): DefaultRoute[] {
  const routes: DefaultRoute[] = [];
  for (const r of records) {
    const family = familyOfAf(r.family);
    if (family === undefined || r.destinationLength !== 0 || r.table !== RT_TABLE_MAIN || r.type !== RTN_UNICAST)
      continue;
    for (const index of r.outputs) {
      const link = names.get(index);
      if (link === undefined) continue;
      const route: { -readonly [K in keyof DefaultRoute]: DefaultRoute[K] } = {
        family,
        link,
        linkIndex: index,
        metric: r.priority,
      };
      if (r.gateway !== undefined) route.gateway = bytesToAddress(family, r.gateway);
      routes.push(route);
    }
  }
  return routes.sort((a, b) => a.metric - b.metric);
}
