// The in-memory NetlinkDriver: the same contract as the real one (the shared contract suite runs
// against both), over a fake kernel that tests can also change from outside.
import { Observable } from 'rxjs';
import { addressToBytes } from '../address-bytes.ts';
import { ADDRESS_PROTOCOL } from '../address-protocol.ts';
import { createAnnouncer } from '../announcer.ts';
import { checkAddressRef, checkAddressSpec, checkLinkKind, checkLinkName } from '../check-request.ts';
import type { CheckedSpec } from '../check-request.ts';
import type { DriverOp, DriverResult } from '../driver-error.ts';
import { fail, noSuchLink, ok } from '../driver-error.ts';
import { findSubnetIn } from '../find-subnet.ts';
import type { Address, AddressFilter, LinkKind, NetlinkDriver, ReplaceOutcome } from '../netlink-driver.ts';
import type { FakeAddressState, FakeKernelState, FakeLinkState, FakeOutside } from './fake-kernel.ts';
import {
  addressValue,
  changedAddress,
  createFakeKernelState,
  createLink,
  insertAddress,
  linkValue,
  removeAddressState,
  removeLinkState,
  setUp,
} from './fake-kernel.ts';

export interface FakeDriverOptions {
  /** Writes fail with EPERM, as for a process without CAP_NET_ADMIN. */
  readonly readOnly?: boolean;
  /** Minimum interval between announcements of one address (default 1000 ms, as the real driver). */
  readonly announceIntervalMs?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** An announcement the fake "sent". */
export interface FakeAnnouncement {
  readonly link: string;
  readonly address: string;
}

export interface FakeKernel {
  /** A driver on this kernel (drivers share links, addresses and marks, like processes in one namespace). */
  driver(options?: FakeDriverOptions): NetlinkDriver;
  readonly outside: FakeOutside;
  /** Every announcement sent so far, in order. */
  announcements(): readonly FakeAnnouncement[];
}

export interface FakeKernelOptions {
  /** Link kinds `ensureLink` can create (default all; leave out `dummy` to act like this kind of kernel). */
  readonly supportedKinds?: readonly LinkKind[];
}

export function createFakeKernel(options: FakeKernelOptions = {}): FakeKernel {
  const state = createFakeKernelState(options.supportedKinds ?? ['dummy', 'ifb', 'bridge']);
  const sent: FakeAnnouncement[] = [];
  const linkNamed = (name: string): FakeLinkState | undefined => state.links.find((l) => l.name === name);
  const mustLink = (name: string): FakeLinkState => {
    const link = linkNamed(name);
    if (link === undefined) throw new Error(`fake kernel: no link ${name}`);
    return link;
  };
  const parseCidr = (cidr: string): { family: 'IPv4' | 'IPv6'; address: string; prefixLength: number } => {
    const [text = '', prefix = ''] = cidr.split('/');
    const bytes = addressToBytes(text);
    if (bytes === undefined || !/^\d+$/.test(prefix)) throw new Error(`fake kernel: bad CIDR ${cidr}`);
    return { family: bytes.family, address: bytes.text, prefixLength: Number(prefix) };
  };

  const outside: FakeOutside = {
    addLink(link) {
      if (linkNamed(link.name) !== undefined) throw new Error(`fake kernel: link ${link.name} exists`);
      const created = createLink(state, link.name, link.kind);
      if (link.up !== false) setUp(state, created, true);
    },
    removeLink: (name) => {
      removeLinkState(state, mustLink(name));
    },
    setLinkUp: (name, up) => {
      setUp(state, mustLink(name), up);
    },
    addAddress(a) {
      const link = mustLink(a.link);
      const c = parseCidr(a.cidr);
      insertAddress(state, {
        linkIndex: link.index,
        ...c,
        noPrefixRoute: a.noPrefixRoute === true,
        noDad: c.family === 'IPv6',
        protocol: a.protocol ?? 0,
      });
    },
    removeAddress(linkName, cidr) {
      const link = mustLink(linkName);
      const c = parseCidr(cidr);
      const found = state.addresses.find(
        (x) => x.linkIndex === link.index && x.address === c.address && x.prefixLength === c.prefixLength,
      );
      if (found === undefined) throw new Error(`fake kernel: no ${cidr} on ${linkName}`);
      removeAddressState(state, found);
    },
    addDefaultRoute(r) {
      const link = mustLink(r.link);
      state.routes.push({
        family: r.family,
        link: link.name,
        linkIndex: link.index,
        metric: r.metric ?? 0,
        ...(r.gateway === undefined ? {} : { gateway: r.gateway }),
      });
      state.routes.sort((a, b) => a.metric - b.metric);
    },
  };

  return {
    driver: (driverOptions = {}) => createFakeDriver(state, sent, driverOptions),
    outside,
    announcements: () => [...sent],
  };
}

/** A fake kernel with one driver on it: the driver, plus the kernel for changes from outside. */
export function createFakeNetlinkDriver(
  options: FakeKernelOptions & FakeDriverOptions = {},
): NetlinkDriver & { readonly kernel: FakeKernel } {
  const kernel = createFakeKernel(options);
  return Object.assign(kernel.driver(options), { kernel });
}

function createFakeDriver(state: FakeKernelState, sent: FakeAnnouncement[], options: FakeDriverOptions): NetlinkDriver {
  let closed = false;
  const guard = <T>(op: DriverOp, write: boolean): DriverResult<T> | undefined => {
    if (closed) return fail(op, 'Closed', 'the driver is closed');
    if (write && options.readOnly === true)
      return { ok: false, error: { code: 'EPERM', op, message: `${op} failed: the kernel answered EPERM`, errno: 1 } };
    return undefined;
  };
  const linkNamed = (name: string): FakeLinkState | undefined => state.links.find((l) => l.name === name);
  const same = (link: FakeLinkState, c: CheckedSpec | { address: { text: string } }): FakeAddressState[] =>
    state.addresses.filter((a) => a.linkIndex === link.index && a.address === c.address.text);
  const announcer = createAnnouncer({
    minIntervalMs: options.announceIntervalMs ?? 1000,
    ...(options.now === undefined ? {} : { now: options.now }),
    run: (_file, args) => {
      const [link, address] = args.includes('-U')
        ? [args.at(-2) ?? '', args.at(-1) ?? '']
        : [linkByIndex(args[3]), args[2] ?? ''];
      const linkState = linkNamed(link);
      const present =
        linkState !== undefined &&
        state.addresses.some((a) => a.linkIndex === linkState.index && a.address === address);
      if (!present)
        return Promise.resolve({ kind: 'exited', code: 2, stderr: `bind: Cannot assign requested address` });
      sent.push({ link, address });
      return Promise.resolve({ kind: 'exited', code: 0, stderr: '' });
    },
  });
  const linkByIndex = (index: string | undefined): string =>
    state.links.find((l) => String(l.index) === index)?.name ?? '';

  const list = (filter: AddressFilter): Address[] =>
    state.addresses
      .map((a) => addressValue(state, a))
      .filter(
        (a) =>
          (filter.link === undefined || a.link === filter.link) &&
          (filter.family === undefined || a.family === filter.family) &&
          (filter.ownedOnly !== true || a.owned),
      )
      .sort((a, b) => (a.family === b.family ? a.linkIndex - b.linkIndex : a.family === 'IPv4' ? -1 : 1));

  const listChecked = (op: DriverOp, filter: AddressFilter): DriverResult<Address[]> => {
    const stop = guard<Address[]>(op, false);
    if (stop !== undefined) return stop;
    if (filter.link !== undefined) {
      const bad = checkLinkName<Address[]>(op, filter.link);
      if (bad !== undefined) return bad;
      if (linkNamed(filter.link) === undefined) return noSuchLink(op, filter.link);
    }
    return ok(list(filter));
  };

  const insert = (link: FakeLinkState, c: CheckedSpec): void => {
    insertAddress(state, {
      linkIndex: link.index,
      family: c.address.family,
      address: c.address.text,
      prefixLength: c.prefixLength,
      noPrefixRoute: c.noPrefixRoute,
      noDad: c.noDad,
      protocol: ADDRESS_PROTOCOL,
    });
  };

  return {
    listLinks: () => Promise.resolve(guard('listLinks', false) ?? ok(state.links.map(linkValue))),
    listAddresses: (filter = {}) => Promise.resolve(listChecked('listAddresses', filter)),
    defaultRoutes: (family) =>
      Promise.resolve(guard('defaultRoutes', false) ?? ok(state.routes.filter((r) => r.family === family))),
    findSubnet(address, findOptions = {}) {
      const target = addressToBytes(address);
      if (target === undefined)
        return Promise.resolve(fail('findSubnet', 'EINVAL', `"${address}" is not an IP address`));
      const listed = listChecked('findSubnet', {
        family: target.family,
        ...(findOptions.link === undefined ? {} : { link: findOptions.link }),
      });
      return Promise.resolve(listed.ok ? ok(findSubnetIn(listed.value, target.text, findOptions.link)) : listed);
    },
    ensureLink(request) {
      const op = 'ensureLink';
      const stop = guard<never>(op, false) ?? checkLinkName<never>(op, request.name);
      if (stop !== undefined) return Promise.resolve(stop);
      const kind = checkLinkKind(op, request.kind ?? 'dummy');
      if (!kind.ok) return Promise.resolve(kind);
      const existing = linkNamed(request.name);
      if (existing?.up === true) return Promise.resolve(ok({ kind: 'unchanged', link: linkValue(existing) }));
      const denied = guard<never>(op, true);
      if (denied !== undefined) return Promise.resolve(denied);
      if (existing !== undefined) {
        setUp(state, existing, true);
        return Promise.resolve(ok({ kind: 'broughtUp', link: linkValue(existing) }));
      }
      if (!state.supportedKinds.has(kind.value)) {
        const message = `creating link ${request.name} of kind ${kind.value} failed: the kernel answered EOPNOTSUPP`;
        return Promise.resolve({ ok: false, error: { code: 'EOPNOTSUPP', op, message, errno: 95 } });
      }
      const created = createLink(state, request.name, kind.value);
      setUp(state, created, true);
      return Promise.resolve(ok({ kind: 'created', link: linkValue(created) }));
    },
    addAddress(spec) {
      const op = 'addAddress';
      const checked = checkAddressSpec(op, spec);
      const stop = guard<never>(op, true) ?? (checked.ok ? undefined : checked);
      if (stop !== undefined || !checked.ok) return Promise.resolve(stop ?? fail(op, 'Unknown', 'unreachable'));
      const c = checked.value;
      const link = linkNamed(c.link);
      if (link === undefined) return Promise.resolve(noSuchLink(op, c.link));
      const present = same(link, c).filter((a) => c.address.family === 'IPv6' || a.prefixLength === c.prefixLength);
      const first = present[0];
      if (first !== undefined)
        return Promise.resolve(ok({ kind: 'present', owned: first.protocol === ADDRESS_PROTOCOL }));
      insert(link, c);
      return Promise.resolve(ok({ kind: 'added' }));
    },
    replaceAddress(spec) {
      const op = 'replaceAddress';
      const checked = checkAddressSpec(op, spec);
      const stop = guard<never>(op, true) ?? (checked.ok ? undefined : checked);
      if (stop !== undefined || !checked.ok) return Promise.resolve(stop ?? fail(op, 'Unknown', 'unreachable'));
      const c = checked.value;
      const link = linkNamed(c.link);
      if (link === undefined) return Promise.resolve(noSuchLink(op, c.link));
      const existing = same(link, c);
      const exact = existing.find((a) => a.prefixLength === c.prefixLength);
      const matches =
        exact !== undefined &&
        exact.protocol === ADDRESS_PROTOCOL &&
        exact.noPrefixRoute === c.noPrefixRoute &&
        (c.address.family === 'IPv4' || exact.noDad === c.noDad);
      if (existing.length === 1 && matches) return Promise.resolve(ok<ReplaceOutcome>({ kind: 'unchanged' }));
      if (exact === undefined) insert(link, c);
      else {
        Object.assign(exact, { protocol: ADDRESS_PROTOCOL, noPrefixRoute: c.noPrefixRoute, noDad: c.noDad });
        changedAddress(state, exact);
      }
      for (const a of existing.filter((x) => x !== exact)) removeAddressState(state, a);
      return Promise.resolve(ok<ReplaceOutcome>({ kind: existing.length === 0 ? 'added' : 'replaced' }));
    },
    deleteAddress(ref) {
      const op = 'deleteAddress';
      const checked = checkAddressRef(op, ref);
      const stop = guard<never>(op, true) ?? (checked.ok ? undefined : checked);
      if (stop !== undefined || !checked.ok) return Promise.resolve(stop ?? fail(op, 'Unknown', 'unreachable'));
      const c = checked.value;
      const link = linkNamed(c.link);
      if (link === undefined) return Promise.resolve(noSuchLink(op, c.link));
      const found = same(link, c).find((a) => a.prefixLength === c.prefixLength);
      if (found === undefined) return Promise.resolve(ok({ kind: 'absent' }));
      removeAddressState(state, found);
      return Promise.resolve(ok({ kind: 'deleted' }));
    },
    async announce(request) {
      const op = 'announce';
      const checked = checkAddressRef(op, { ...request, prefixLength: 0 });
      const stop = guard<never>(op, false) ?? (checked.ok ? undefined : checked);
      if (stop !== undefined || !checked.ok) return stop ?? fail(op, 'Unknown', 'unreachable');
      const link = linkNamed(request.link);
      if (link === undefined) return noSuchLink(op, request.link);
      const { family, text } = checked.value.address;
      return announcer.announce({ family, address: text, link: link.name, linkIndex: link.index, mac: link.mac });
    },
    changes: () =>
      new Observable((subscriber) => {
        const subscription = state.events.subscribe(subscriber);
        return () => {
          subscription.unsubscribe();
        };
      }),
    close() {
      closed = true;
    },
  };
}
