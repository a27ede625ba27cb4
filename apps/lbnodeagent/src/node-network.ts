// The kernel as the node agent needs it: a narrow, consumer-shaped port. The real one is built on
// @purelb/netlink-driver (kernel-network.ts); tests use the in-memory fake of ./testing.
import type { IpFamily } from '@purelb/ipam-core';

export interface NetworkLink {
  readonly index: number;
  readonly name: string;
  readonly up: boolean;
}

/** An address on an interface as the kernel shows it. */
export interface NetworkAddress {
  readonly interface: string;
  readonly family: IpFamily;
  /** Canonical text. */
  readonly address: string;
  readonly prefixLength: number;
  /** Added by a PureLB node agent (the kernel keeps our mark with the address). */
  readonly ours: boolean;
}

/** What the kernel shows now. */
export interface NetworkView {
  /** In interface-index order. */
  readonly links: readonly NetworkLink[];
  readonly addresses: readonly NetworkAddress[];
  /** The interfaces of the default routes, per family, best (lowest metric) first. */
  readonly defaultRoutes: Readonly<Record<IpFamily, readonly string[]>>;
}

export interface AddressSpec {
  readonly interface: string;
  readonly family: IpFamily;
  readonly address: string;
  readonly prefixLength: number;
}

/** Why a kernel operation failed. Closed union: it may grow in a minor release. */
export type NetworkFailureCode = 'NoSuchInterface' | 'PermissionDenied' | 'Exists' | 'Unsupported' | 'KernelError';

export interface NetworkFailure {
  readonly code: NetworkFailureCode;
  readonly message: string;
}

export type NetworkResult<T = undefined> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NetworkFailure };

export interface NodeNetwork {
  read(): Promise<NetworkResult<NetworkView>>;
  /**
   * Adds the address with our mark. `local`: `noprefixroute` (the interface's own route serves it)
   * and, for IPv6, no duplicate address detection (the election already made it unique).
   */
  addAddress(spec: AddressSpec & { readonly local: boolean }): Promise<NetworkResult>;
  /** Removes an address (only ever called for addresses marked ours). */
  removeAddress(spec: AddressSpec): Promise<NetworkResult>;
  /** Creates the interface if missing (of the given link kind, e.g. `dummy`) and brings it up. */
  ensureLink(name: string, kind: string): Promise<NetworkResult>;
  /** Gratuitous ARP (IPv4) or unsolicited Neighbor Advertisement (IPv6) for an address just added. */
  announce(spec: AddressSpec): Promise<NetworkResult>;
  /** Calls `onChange` after any change of links or addresses (coalescing is the caller's business). */
  watch(onChange: () => void): () => void;
  close(): Promise<void>;
}
