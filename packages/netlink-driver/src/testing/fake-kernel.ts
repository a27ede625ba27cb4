// An in-memory stand-in for one network namespace: links, addresses and default routes, changed
// through drivers (`kernel.driver()`, the NetlinkDriver contract) or behind their backs (the
// `outside` methods, as `ip` would). Addresses keep their protocol mark in the "kernel", so a new
// driver on the same fake kernel sees what an earlier one added, as after a process restart.
import { Subject } from 'rxjs';
import { addressToBytes } from '../address-bytes.ts';
import { ADDRESS_PROTOCOL } from '../address-protocol.ts';
import type {
  Address,
  AddressScope,
  DefaultRoute,
  IpFamily,
  Link,
  LinkKind,
  NetlinkChange,
} from '../netlink-driver.ts';

/** Kernel-side state of one address. */
export interface FakeAddressState {
  readonly linkIndex: number;
  readonly family: IpFamily;
  readonly address: string;
  prefixLength: number;
  noPrefixRoute: boolean;
  noDad: boolean;
  protocol: number;
}

export interface FakeLinkState {
  readonly index: number;
  readonly name: string;
  readonly kind: string | undefined;
  up: boolean;
  readonly mac: string;
}

export interface OutsideLink {
  readonly name: string;
  readonly kind?: string;
  readonly up?: boolean;
}

export interface OutsideAddress {
  readonly link: string;
  /** `address/prefixLength`. */
  readonly cidr: string;
  /** Address protocol, as another tool might set it (default 0). */
  readonly protocol?: number;
  readonly noPrefixRoute?: boolean;
}

export interface OutsideRoute {
  readonly family: IpFamily;
  readonly link: string;
  readonly gateway?: string;
  readonly metric?: number;
}

/** Changes made behind the drivers' backs, as an operator with `ip` would make them. */
export interface FakeOutside {
  addLink(link: OutsideLink): void;
  removeLink(name: string): void;
  setLinkUp(name: string, up: boolean): void;
  /** IPv6 addresses skip duplicate address detection, as `ip addr add … nodad`. */
  addAddress(address: OutsideAddress): void;
  removeAddress(link: string, cidr: string): void;
  addDefaultRoute(route: OutsideRoute): void;
}

export interface FakeKernelState {
  readonly links: FakeLinkState[];
  readonly addresses: FakeAddressState[];
  readonly routes: DefaultRoute[];
  readonly events: Subject<NetlinkChange>;
  readonly supportedKinds: ReadonlySet<LinkKind>;
  nextIndex: number;
}

function scopeOf(family: IpFamily, address: string): AddressScope {
  if (family === 'IPv4') return address.startsWith('127.') ? 'host' : 'global';
  if (address === '::1') return 'host';
  return /^fe[89ab]/.test(address) ? 'link' : 'global';
}

export function linkValue(l: FakeLinkState): Link {
  const value: { -readonly [K in keyof Link]: Link[K] } = {
    index: l.index,
    name: l.name,
    adminUp: l.up,
    state: l.up ? 'unknown' : 'down',
    mac: l.mac,
  };
  if (l.kind !== undefined) value.kind = l.kind;
  return value;
}

/** Whether an earlier IPv4 address of the link covers the same subnet (the kernel makes the later one secondary). */
function isSecondary(state: FakeKernelState, a: FakeAddressState): boolean {
  if (a.family !== 'IPv4') return false;
  const subnet = (x: FakeAddressState): bigint => {
    const bytes = addressToBytes(x.address)?.bytes ?? Buffer.alloc(4);
    return BigInt(bytes.readUInt32BE(0)) >> BigInt(32 - x.prefixLength);
  };
  for (const b of state.addresses) {
    if (b === a) return false;
    if (
      b.linkIndex === a.linkIndex &&
      b.family === 'IPv4' &&
      b.prefixLength === a.prefixLength &&
      subnet(b) === subnet(a)
    )
      return true;
  }
  return false;
}

export function addressValue(state: FakeKernelState, a: FakeAddressState, ownProtocol = ADDRESS_PROTOCOL): Address {
  const link = state.links.find((l) => l.index === a.linkIndex);
  return {
    link: link?.name ?? '',
    linkIndex: a.linkIndex,
    family: a.family,
    address: a.address,
    prefixLength: a.prefixLength,
    scope: scopeOf(a.family, a.address),
    flags: {
      noPrefixRoute: a.noPrefixRoute,
      noDad: a.noDad,
      tentative: false,
      dadFailed: false,
      deprecated: false,
      secondary: isSecondary(state, a),
    },
    protocol: a.protocol,
    owned: a.protocol === ownProtocol,
  };
}

export function createFakeKernelState(supportedKinds: readonly LinkKind[]): FakeKernelState {
  const state: FakeKernelState = {
    links: [],
    addresses: [],
    routes: [],
    events: new Subject(),
    supportedKinds: new Set(supportedKinds),
    nextIndex: 1,
  };
  state.links.push({ index: state.nextIndex++, name: 'lo', kind: undefined, up: true, mac: '00:00:00:00:00:00' });
  state.addresses.push({
    linkIndex: 1,
    family: 'IPv4',
    address: '127.0.0.1',
    prefixLength: 8,
    noPrefixRoute: false,
    noDad: false,
    protocol: 0,
  });
  state.addresses.push({
    linkIndex: 1,
    family: 'IPv6',
    address: '::1',
    prefixLength: 128,
    noPrefixRoute: false,
    noDad: false,
    protocol: 0,
  });
  return state;
}

/** Creates a link (down), announcing it. */
export function createLink(state: FakeKernelState, name: string, kind: string | undefined): FakeLinkState {
  const index = state.nextIndex++;
  const link: FakeLinkState = {
    index,
    name,
    kind,
    up: false,
    mac: `02:00:00:00:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 255).toString(16).padStart(2, '0')}`,
  };
  state.links.push(link);
  state.events.next({ kind: 'link', action: 'new', link: linkValue(link) });
  return link;
}

export function setUp(state: FakeKernelState, link: FakeLinkState, up: boolean): void {
  if (link.up === up) return;
  link.up = up;
  state.events.next({ kind: 'link', action: 'new', link: linkValue(link) });
}

export function insertAddress(state: FakeKernelState, a: FakeAddressState): void {
  state.addresses.push(a);
  state.events.next({ kind: 'address', action: 'new', address: addressValue(state, a) });
}

export function removeAddressState(state: FakeKernelState, a: FakeAddressState): void {
  const i = state.addresses.indexOf(a);
  if (i < 0) return;
  const value = addressValue(state, a);
  state.addresses.splice(i, 1);
  state.events.next({ kind: 'address', action: 'del', address: value });
}

export function changedAddress(state: FakeKernelState, a: FakeAddressState): void {
  state.events.next({ kind: 'address', action: 'new', address: addressValue(state, a) });
}

export function removeLinkState(state: FakeKernelState, link: FakeLinkState): void {
  for (const a of state.addresses.filter((x) => x.linkIndex === link.index)) removeAddressState(state, a);
  state.routes.splice(0, state.routes.length, ...state.routes.filter((r) => r.linkIndex !== link.index));
  state.links.splice(state.links.indexOf(link), 1);
  state.events.next({ kind: 'link', action: 'del', link: linkValue(link) });
}
