// The routing input as the sidecar understands it, after parsing and validation: who we are (local
// ASN, where the router ID comes from), what we export (the routes of one interface, with
// communities) and to whom (BGP peers). Plain data; `parseRoutingConfig` builds it, `renderBirdConfig`
// turns it into the daemon's configuration.

/** An address family as BIRD names its channels. */
export type AddressFamily = 'ipv4' | 'ipv6';
export const ADDRESS_FAMILIES: readonly AddressFamily[] = ['ipv4', 'ipv6'];

/** Where each node's router ID (a 32-bit number written as an IPv4 address) comes from. */
export type RouterIdSource =
  /** The node's IPv4 address as the sidecar is told it (`--host-ip`, the Downward API's `status.hostIP`). */
  | { readonly kind: 'host-ip' }
  /** The first IPv4 address on this interface of the node. */
  | { readonly kind: 'interface'; readonly name: string };

/** A BGP community attached to every exported route. */
export type Community =
  /** RFC 1997 `ASN:VALUE`, each 0..65535. */
  | { readonly kind: 'standard'; readonly asn: number; readonly value: number }
  /** RFC 8092 `GLOBAL:LOCAL1:LOCAL2`, each 0..4294967295. */
  | { readonly kind: 'large'; readonly global: number; readonly local1: number; readonly local2: number };

export interface PeerConfig {
  /** The peer's address in canonical text form. */
  readonly address: string;
  /** The family of `address`: the family of the TCP session. */
  readonly sessionFamily: AddressFamily;
  readonly asn: number;
  /** The route families exchanged with this peer (default: the session's family). */
  readonly families: readonly AddressFamily[];
  /** TCP MD5 signature password (RFC 2385), if the peer asks for one. */
  readonly password?: string;
  /** The peer's TCP port (default 179). */
  readonly port: number;
  /** eBGP multihop TTL, for a peer that is not on a directly connected network. */
  readonly multihop?: number;
}

/** BGP session timers in seconds. Production defaults are BIRD's own; the lab tunes them down. */
export interface BgpTimers {
  /** Hold time offered to the peer (0 = no keepalives; else 3..65535). Default 240 (BIRD's default). */
  readonly holdSeconds: number;
  /** Keepalive interval; below the hold time. Default: a third of the hold time. */
  readonly keepaliveSeconds: number;
  /** Wait between attempts to open a session that is down. Default 120. */
  readonly connectRetrySeconds: number;
  /** Wait between the start of a session and its first connection attempt. Default 5. */
  readonly connectDelaySeconds: number;
  /** Wait before a session is started again after an error (either side's), growing up to the maximum. Default 60..300. */
  readonly errorWaitSeconds: number;
  readonly errorWaitMaxSeconds: number;
}

export const DEFAULT_HOLD_SECONDS = 240;
export const DEFAULT_CONNECT_RETRY_SECONDS = 120;
export const DEFAULT_CONNECT_DELAY_SECONDS = 5;
export const DEFAULT_ERROR_WAIT_SECONDS = 60;
export const DEFAULT_ERROR_WAIT_MAX_SECONDS = 300;
export const DEFAULT_INTERFACE = 'kube-lb0';
export const DEFAULT_BGP_PORT = 179;

export interface RoutingConfig {
  readonly localAsn: number;
  readonly routerId: RouterIdSource;
  /** The interface whose routes are exported: the node agent's `extlbint`. */
  readonly interface: string;
  readonly communities: readonly Community[];
  readonly peers: readonly PeerConfig[];
  readonly timers: BgpTimers;
}

/** Why a routing input was rejected. Closed; may grow in a minor release. */
export type RoutingProblemCode =
  | 'MissingKey'
  | 'InvalidYaml'
  | 'MissingField'
  | 'UnknownField'
  | 'WrongType'
  | 'OutOfRange'
  | 'InvalidAddress'
  | 'UnknownFamily'
  | 'UnsupportedFamily'
  | 'InvalidCommunity'
  | 'InvalidRouterId'
  | 'InvalidInterface'
  | 'DuplicatePeer';

/** One problem of a routing input, located by `path` (e.g. `peers[1].asn`). */
export interface RoutingProblem {
  readonly code: RoutingProblemCode;
  readonly path: string;
  readonly message: string;
}

/** `peers[1].asn: 4294967296 is out of range 1..4294967295`. */
export function formatProblem(problem: RoutingProblem): string {
  return `${problem.path}: ${problem.message}`;
}
