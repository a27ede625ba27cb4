// What this node should hold, and how each Service's addresses are held cluster-wide, from one
// snapshot. Synchronous and free of I/O: elections are looked up through `winnerOf`, fed by the
// daemon's incremental elector.
import type { IpFamily } from '@purelb/ipam-core';
import type { EndpointNodes, ServiceAddress, ServiceView } from './objects-to-domain.ts';
import { subnetHolding } from './select-local-interfaces.ts';
import type { LocalInterfaces } from './select-local-interfaces.ts';

/** The election of a local address among the live nodes on its subnet. */
export type ElectionView =
  | { readonly kind: 'winner'; readonly node: string }
  /** No live node has a subnet holding it; `notLive` are members on that subnet that are not live. */
  | { readonly kind: 'none'; readonly notLive: readonly string[] };

export type AddressKind = 'local' | 'virtual';

/** An address this node should have on one of its interfaces. */
export interface DesiredAddress {
  readonly address: string;
  readonly family: IpFamily;
  readonly interface: string;
  readonly prefixLength: number;
  readonly kind: AddressKind;
  /** Keys of the Services that need it, sorted. */
  readonly services: readonly string[];
  /**
   * Worth a gratuitous ARP / unsolicited NA once added: a local address that another node announced
   * last (neighbours hold that node's MAC). An address never announced is in no neighbour's cache.
   */
  readonly announce: boolean;
}

/** How an address of a Service is held across the cluster, as this node sees it. */
export type Holding =
  /** Elected: exactly one node holds it on its local interface. */
  | { readonly kind: 'local'; readonly winner: string }
  /** On the virtual interface of `holders` live nodes (all live nodes, or those with a ready endpoint). */
  | { readonly kind: 'virtual'; readonly holders: number; readonly endpointsOnly: boolean }
  /**
   * Held by no node. `subnet-not-live`: members on its subnet exist but none is live (`notLive`);
   * `no-endpoint`: ETP Local and no live node has a ready endpoint; `no-live-node`: no agent is live.
   */
  | {
      readonly kind: 'nowhere';
      readonly why: 'subnet-not-live' | 'no-endpoint' | 'no-live-node';
      readonly notLive: readonly string[];
    };

export interface AddressAnnouncement {
  readonly family: IpFamily;
  readonly address: string;
  readonly holding: Holding;
  /** What this node holds for it, if anything. */
  readonly mine: DesiredAddress | undefined;
}

export interface ServiceAnnouncement {
  readonly key: string;
  readonly addresses: readonly AddressAnnouncement[];
  /** The node that writes the Service's `purelb.io/Announced` condition; undefined when no node is live. */
  readonly writer: string | undefined;
}

export interface NodeDecision {
  /** Keyed by canonical address. */
  readonly addresses: ReadonlyMap<string, DesiredAddress>;
  /** Owned Services with at least one address, by key. */
  readonly services: ReadonlyMap<string, ServiceAnnouncement>;
}

export interface DecideInput {
  readonly node: string;
  readonly virtualInterface: string;
  readonly localInterfaces: LocalInterfaces;
  readonly services: Iterable<ServiceView>;
  readonly endpoints: EndpointNodes;
  readonly live: ReadonlySet<string>;
  /** The live node that writes conditions no local winner writes. */
  readonly steward: string | undefined;
  readonly winnerOf: (address: string) => ElectionView;
  /** The prefix length of a virtual address (the pool's aggregation). */
  readonly virtualPrefixLength: (service: ServiceView, address: ServiceAddress) => number;
}

const NO_NODES: ReadonlySet<string> = new Set();

export function decideNode(input: DecideInput): NodeDecision {
  const owned = [...input.services]
    .filter((s) => s.owned && s.addresses.length > 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Addresses used by more than one Service are shared: externalTrafficPolicy counts as Cluster.
  const users = new Map<string, number>();
  for (const s of owned) for (const a of s.addresses) users.set(a.address, (users.get(a.address) ?? 0) + 1);

  // Entries are shared by every Service that needs the address; their key lists grow as they are found.
  const desired = new Map<string, DesiredAddress & { services: string[] }>();
  const services = new Map<string, ServiceAnnouncement>();
  const liveCount = input.live.size;

  for (const s of owned) {
    const shared = s.sharingKey !== undefined || s.addresses.some((a) => (users.get(a.address) ?? 0) > 1);
    const endpointsOnly = s.trafficPolicy === 'Local' && !shared;
    const withEndpoint = input.endpoints.get(s.key) ?? NO_NODES;
    let virtualHolders = liveCount;
    if (endpointsOnly) {
      virtualHolders = 0;
      for (const n of withEndpoint) if (input.live.has(n)) virtualHolders++;
    }
    // Built by map, not push: a decision holds one list per Service, and a pushed-to array keeps room for 17.
    const announcements = s.addresses.map((a): AddressAnnouncement => {
      const election: ElectionView =
        s.poolType === 'virtual' ? { kind: 'none', notLive: [] } : input.winnerOf(a.address);
      let holding: Holding;
      if (election.kind === 'winner') holding = { kind: 'local', winner: election.node };
      else if (liveCount === 0) holding = { kind: 'nowhere', why: 'no-live-node', notLive: election.notLive };
      else if (election.notLive.length > 0)
        holding = { kind: 'nowhere', why: 'subnet-not-live', notLive: election.notLive };
      else if (virtualHolders === 0) holding = { kind: 'nowhere', why: 'no-endpoint', notLive: [] };
      else holding = { kind: 'virtual', holders: virtualHolders, endpointsOnly };

      let mine: DesiredAddress | undefined;
      const subnet = s.poolType === 'virtual' ? undefined : subnetHolding(input.localInterfaces[a.family], a.ip);
      const local = input.localInterfaces[a.family];
      // On a subnet some member has, the address belongs to the nodes of that subnet alone: a node
      // elsewhere holding it virtually would route the whole subnet into its virtual interface.
      const onMemberSubnet = election.kind === 'winner' || election.notLive.length > 0;
      if (subnet !== undefined && local !== undefined) {
        if (election.kind === 'winner' && election.node === input.node) {
          const last = s.announcedBy[a.family];
          const announce = last !== undefined && last !== input.node;
          mine = {
            address: a.address,
            family: a.family,
            interface: local.name,
            prefixLength: subnet.prefixLength,
            kind: 'local',
            services: [],
            announce,
          };
        }
      } else if (onMemberSubnet) {
        mine = undefined;
      } else if (!endpointsOnly || withEndpoint.has(input.node)) {
        const prefixLength = input.virtualPrefixLength(s, a);
        mine = {
          address: a.address,
          family: a.family,
          interface: input.virtualInterface,
          prefixLength,
          kind: 'virtual',
          services: [],
          announce: false,
        };
      }
      let entry: (DesiredAddress & { services: string[] }) | undefined;
      if (mine !== undefined) {
        entry = desired.get(a.address);
        if (entry === undefined) {
          desired.set(a.address, (entry = { ...mine, services: [s.key] }));
        } else {
          if (mine.announce && !entry.announce) desired.set(a.address, (entry = { ...entry, announce: true }));
          entry.services.push(s.key);
        }
      }
      return { family: a.family, address: a.address, holding, mine: entry };
    });
    const firstLocal = announcements.find((x) => x.holding.kind === 'local');
    const writer = firstLocal?.holding.kind === 'local' ? firstLocal.holding.winner : input.steward;
    services.set(s.key, { key: s.key, addresses: announcements, writer });
  }

  return { addresses: desired, services };
}
