// An in-memory kernel behind the NodeNetwork port, for fast tests of the agent: links, addresses
// with our mark, default routes, a change stream, and faults on demand. It behaves like the kernel
// where the agent depends on it: adding an address that is there fails with `Exists`, a missing
// interface fails with `NoSuchInterface`, and every change is announced on the stream.
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import type { IpFamily } from '@purelb/ipam-core';
import type {
  AddressSpec,
  NetworkAddress,
  NetworkFailure,
  NetworkLink,
  NetworkResult,
  NetworkView,
  NodeNetwork,
} from '../node-network.ts';

export type FakeOperation = 'read' | 'add' | 'remove' | 'link' | 'announce';

export interface FakeNetworkOptions {
  /** Interfaces with their own addresses (`192.0.2.11/24`), in index order after `lo`. */
  readonly links?: readonly { readonly name: string; readonly addresses?: readonly string[]; readonly up?: boolean }[];
  readonly defaultRoutes?: Partial<Record<IpFamily, readonly string[]>>;
  /** Addresses already there with our mark (`192.0.2.250/24@eth0`), as a crashed agent leaves them. */
  readonly ours?: readonly string[];
}

export interface FakeNetwork extends NodeNetwork {
  /** What the fake holds now. */
  view(): NetworkView;
  /** Addresses marked ours, as `address/prefix@interface`, sorted. */
  ours(): string[];
  /** Every address announced (GARP / NA), oldest first. */
  readonly announced: readonly AddressSpec[];
  /** Adds an address as someone else would (not ours). */
  addByHand(spec: AddressSpec): void;
  /** Removes an address whoever added it, as `ip addr del` would; false when absent. */
  removeByHand(address: string, iface: string): boolean;
  /** Makes every later `operation` fail with `failure` (undefined heals it). */
  setFault(operation: FakeOperation, failure: NetworkFailure | undefined): void;
  /** Calls to each operation so far. */
  readonly calls: Readonly<Record<FakeOperation, number>>;
}

interface Entry extends NetworkAddress {
  readonly local: boolean;
}

const canonical = (address: string): string => {
  const parsed = parseAddress(address);
  return parsed.ok ? formatAddress(parsed.value) : address;
};

export function createFakeNetwork(options: FakeNetworkOptions = {}): FakeNetwork {
  const links: NetworkLink[] = [{ index: 1, name: 'lo', up: true }];
  const addresses: Entry[] = [
    { interface: 'lo', family: 'IPv4', address: '127.0.0.1', prefixLength: 8, ours: false, local: false },
  ];
  for (const l of options.links ?? []) {
    links.push({ index: links.length + 1, name: l.name, up: l.up ?? true });
    for (const cidr of l.addresses ?? []) {
      const [address = '', prefix = '0'] = cidr.split('/');
      const parsed = parseAddress(address);
      if (!parsed.ok) throw new Error(`bad address ${cidr}`);
      addresses.push({
        interface: l.name,
        family: parsed.value.family,
        address: formatAddress(parsed.value),
        prefixLength: Number(prefix),
        ours: false,
        local: false,
      });
    }
  }
  for (const text of options.ours ?? []) {
    const [cidr = '', iface = ''] = text.split('@');
    const [address = '', prefix = '0'] = cidr.split('/');
    const parsed = parseAddress(address);
    if (!parsed.ok) throw new Error(`bad address ${text}`);
    addresses.push({
      interface: iface,
      family: parsed.value.family,
      address: formatAddress(parsed.value),
      prefixLength: Number(prefix),
      ours: true,
      local: false,
    });
  }
  const defaultRoutes: Record<IpFamily, readonly string[]> = {
    IPv4: options.defaultRoutes?.IPv4 ?? [],
    IPv6: options.defaultRoutes?.IPv6 ?? [],
  };
  const faults = new Map<FakeOperation, NetworkFailure>();
  const calls: Record<FakeOperation, number> = { read: 0, add: 0, remove: 0, link: 0, announce: 0 };
  const announced: AddressSpec[] = [];
  const listeners = new Set<() => void>();
  let closed = false;

  const changed = (): void => {
    queueMicrotask(() => {
      for (const l of listeners) l();
    });
  };
  const fault = (op: FakeOperation): NetworkFailure | undefined => {
    calls[op]++;
    return faults.get(op);
  };
  const ok: NetworkResult = { ok: true, value: undefined };
  const fail = (error: NetworkFailure): NetworkResult => ({ ok: false, error });
  const hasLink = (name: string): boolean => links.some((l) => l.name === name);
  const find = (address: string, iface: string): number =>
    addresses.findIndex((a) => a.address === canonical(address) && a.interface === iface);

  const fake: FakeNetwork = {
    read() {
      const f = fault('read');
      if (f !== undefined) return Promise.resolve({ ok: false, error: f });
      const view: NetworkView = {
        links: links.map((l) => ({ ...l })),
        addresses: addresses.map(({ local: _, ...a }) => ({ ...a })),
        defaultRoutes: { IPv4: [...defaultRoutes.IPv4], IPv6: [...defaultRoutes.IPv6] },
      };
      return Promise.resolve({ ok: true, value: view });
    },
    addAddress(spec) {
      const f = fault('add');
      if (f !== undefined) return Promise.resolve(fail(f));
      if (!hasLink(spec.interface))
        return Promise.resolve(fail({ code: 'NoSuchInterface', message: `no interface ${spec.interface}` }));
      if (find(spec.address, spec.interface) !== -1)
        return Promise.resolve(fail({ code: 'Exists', message: `${spec.address} is already on ${spec.interface}` }));
      addresses.push({ ...spec, address: canonical(spec.address), ours: true, local: spec.local });
      changed();
      return Promise.resolve(ok);
    },
    removeAddress(spec) {
      const f = fault('remove');
      if (f !== undefined) return Promise.resolve(fail(f));
      const i = find(spec.address, spec.interface);
      if (i === -1)
        return Promise.resolve(fail({ code: 'KernelError', message: `${spec.address} is not on ${spec.interface}` }));
      addresses.splice(i, 1);
      changed();
      return Promise.resolve(ok);
    },
    ensureLink(name) {
      const f = fault('link');
      if (f !== undefined) return Promise.resolve(fail(f));
      const link = links.find((l) => l.name === name);
      if (link === undefined) links.push({ index: links.length + 1, name, up: true });
      else links[links.indexOf(link)] = { ...link, up: true };
      changed();
      return Promise.resolve(ok);
    },
    announce(spec) {
      const f = fault('announce');
      if (f !== undefined) return Promise.resolve(fail(f));
      announced.push({ ...spec });
      return Promise.resolve(ok);
    },
    watch(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    close() {
      closed = true;
      listeners.clear();
      return Promise.resolve();
    },
    view: () => ({
      links: links.map((l) => ({ ...l })),
      addresses: addresses.map(({ local: _, ...a }) => ({ ...a })),
      defaultRoutes,
    }),
    ours: () =>
      addresses
        .filter((a) => a.ours)
        .map((a) => `${a.address}/${a.prefixLength}@${a.interface}`)
        .sort(),
    announced,
    addByHand(spec) {
      if (closed) return;
      addresses.push({ ...spec, address: canonical(spec.address), ours: false, local: false });
      changed();
    },
    removeByHand(address, iface) {
      const i = find(address, iface);
      if (i === -1) return false;
      addresses.splice(i, 1);
      changed();
      return true;
    },
    setFault(operation, failure) {
      if (failure === undefined) faults.delete(operation);
      else faults.set(operation, failure);
    },
    calls,
  };
  return fake;
}
