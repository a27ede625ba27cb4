// The node agent's view of the kernel: links, addresses, default routes and announcements, as plain
// values in and out. One real implementation (rtnetlink, `createNetlinkDriver`) and one in-memory
// fake (`createFakeNetlinkDriver` in `@purelb/netlink-driver/testing`) keep this contract.
import type { IpFamily } from '@purelb/ipam-core';
import type { Observable } from 'rxjs';
import type { DriverResult } from './driver-error.ts';

export type { IpFamily };

/** Operational state of a link (RFC 2863, as the kernel reports it in IFLA_OPERSTATE). */
export type LinkState = 'unknown' | 'notPresent' | 'down' | 'lowerLayerDown' | 'testing' | 'dormant' | 'up';

/** A network interface. */
export interface Link {
  readonly index: number;
  readonly name: string;
  /** The link kind (`bridge`, `veth`, `dummy`, …); absent for physical devices and loopback. */
  readonly kind?: string;
  /** Administratively up (IFF_UP). */
  readonly adminUp: boolean;
  /** Operational state. */
  readonly state: LinkState;
  /** Hardware address, lower-case `aa:bb:cc:dd:ee:ff`; absent for links without one. */
  readonly mac?: string;
}

/** Address scope. `other` stands for the numeric scopes between the named ones. */
export type AddressScope = 'global' | 'site' | 'link' | 'host' | 'nowhere' | 'other';

/** The address flags the driver reads. */
export interface AddressFlags {
  readonly noPrefixRoute: boolean;
  readonly noDad: boolean;
  readonly tentative: boolean;
  readonly dadFailed: boolean;
  readonly deprecated: boolean;
  readonly secondary: boolean;
}

/** An address on a link. */
export interface Address {
  readonly link: string;
  readonly linkIndex: number;
  readonly family: IpFamily;
  /** Canonical text (dotted quad, or RFC 5952 for IPv6). */
  readonly address: string;
  readonly prefixLength: number;
  readonly scope: AddressScope;
  readonly flags: AddressFlags;
  /** The address protocol the kernel keeps with it (IFA_PROTO; 0 = none given). */
  readonly protocol: number;
  /** Added by this driver: `protocol` is the driver's mark (see `ADDRESS_PROTOCOL`). */
  readonly owned: boolean;
}

/** Which addresses to list. Every field narrows; none = every address on every link. */
export interface AddressFilter {
  readonly link?: string;
  readonly family?: IpFamily;
  /** Only addresses this driver added. */
  readonly ownedOnly?: boolean;
}

/** A default route of one family, through one link. */
export interface DefaultRoute {
  readonly family: IpFamily;
  readonly link: string;
  readonly linkIndex: number;
  /** Next hop, when the route has one. */
  readonly gateway?: string;
  readonly metric: number;
}

/** Where a subnet containing a given address is configured on this node. */
export interface SubnetMatch {
  readonly link: string;
  readonly linkIndex: number;
  /** The node's own address that defines the subnet. */
  readonly address: string;
  readonly prefixLength: number;
  /** The subnet in CIDR form, e.g. `192.0.2.0/24`. */
  readonly subnet: string;
}

/** Options of `findSubnet`. */
export interface FindSubnetOptions {
  /** Look on this link only (the agent's `localint`). */
  readonly link?: string;
}

/** Link kinds the driver can create: kinds that need no parent and no kind-specific data. */
export type LinkKind = 'dummy' | 'ifb' | 'bridge';

export interface EnsureLinkRequest {
  readonly name: string;
  /** Kind to create the link with when it is missing (default `dummy`). */
  readonly kind?: LinkKind;
}

export type EnsureLinkOutcome =
  | { readonly kind: 'created'; readonly link: Link }
  | { readonly kind: 'broughtUp'; readonly link: Link }
  | { readonly kind: 'unchanged'; readonly link: Link };

/** An address to add or replace. */
export interface AddressSpec {
  readonly link: string;
  readonly address: string;
  readonly prefixLength: number;
  /** Add no prefix route for the address's subnet (IFA_F_NOPREFIXROUTE). */
  readonly noPrefixRoute?: boolean;
  /** IPv6 only: skip duplicate address detection, so the address is usable at once. Ignored for IPv4. */
  readonly noDad?: boolean;
}

/** An address to delete: exactly `address/prefixLength` on `link`. */
export interface AddressRef {
  readonly link: string;
  readonly address: string;
  readonly prefixLength: number;
}

export type AddOutcome =
  | { readonly kind: 'added' }
  /** The address was already there (added by us when `owned`; left exactly as it was). */
  | { readonly kind: 'present'; readonly owned: boolean };

export type ReplaceOutcome =
  { readonly kind: 'added' } | { readonly kind: 'replaced' } | { readonly kind: 'unchanged' };

export type DeleteOutcome = { readonly kind: 'deleted' } | { readonly kind: 'absent' };

export interface AnnounceRequest {
  readonly link: string;
  readonly address: string;
}

export type AnnounceOutcome =
  | { readonly kind: 'sent' }
  /** The same address was announced on the same link within the minimum interval. */
  | { readonly kind: 'suppressed' };

/** A change the kernel reported. `lost` = notifications were dropped: list again to catch up. */
export type NetlinkChange =
  | { readonly kind: 'link'; readonly action: 'new' | 'del'; readonly link: Link }
  | { readonly kind: 'address'; readonly action: 'new' | 'del'; readonly address: Address }
  | { readonly kind: 'lost' };

/** The node agent's hands on the kernel. Every call resolves (never rejects) with a result value. */
export interface NetlinkDriver {
  listLinks(): Promise<DriverResult<readonly Link[]>>;
  listAddresses(filter?: AddressFilter): Promise<DriverResult<readonly Address[]>>;
  /** The default routes of the family in the main table, one per output link, lowest metric first. */
  defaultRoutes(family: IpFamily): Promise<DriverResult<readonly DefaultRoute[]>>;
  /**
   * The link and prefix on this node whose subnet contains `address` (longest prefix wins). Addresses
   * this driver added, host-scoped ones, tentative and failed ones are not subnets of the node.
   */
  findSubnet(address: string, options?: FindSubnetOptions): Promise<DriverResult<SubnetMatch | undefined>>;
  /** The link exists and is up; created with `kind` when missing. */
  ensureLink(request: EnsureLinkRequest): Promise<DriverResult<EnsureLinkOutcome>>;
  /** Adds the address marked as ours; an address already there is success, left as it is. */
  addAddress(spec: AddressSpec): Promise<DriverResult<AddOutcome>>;
  /**
   * Makes the address exactly `spec` and ours: adds it, or changes its prefix length, flags and mark.
   * Other prefix lengths of the same address on the link are removed.
   */
  replaceAddress(spec: AddressSpec): Promise<DriverResult<ReplaceOutcome>>;
  /** Deletes `address/prefixLength` from the link; an address already gone is success. */
  deleteAddress(ref: AddressRef): Promise<DriverResult<DeleteOutcome>>;
  /** Gratuitous ARP (IPv4) or an unsolicited Neighbor Advertisement (IPv6) for an address on the link. */
  announce(request: AnnounceRequest): Promise<DriverResult<AnnounceOutcome>>;
  /** Link and address changes as the kernel reports them, from subscription on (one socket per subscriber). */
  changes(): Observable<NetlinkChange>;
  /** Releases the driver's socket; later calls fail with `Closed`. */
  close(): void;
}
