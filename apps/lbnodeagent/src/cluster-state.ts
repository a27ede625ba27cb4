// The agent's domain view of the cluster, kept up to date from the watches' snapshots: Services as
// views, which addresses they use, endpoints, NotReady nodes, ServiceGroups, membership, and the
// incremental elector of every address among the members. Synchronous and free of I/O.
import { createAddressElector } from '@purelb/election';
import type { ServiceGroup } from '@purelb/ipam-core';
import { decideNode } from './decide-node.ts';
import type { NodeDecision } from './decide-node.ts';
import { createEndpointIndex } from './endpoint-index.ts';
import { electionLookup } from './election-view.ts';
import type {
  EndpointSliceObject,
  LeaseObject,
  NodeObject,
  ServiceGroupObject,
  ServiceObject,
} from './kube-objects.ts';
import { computeMembership, stewardOf, trackMembers } from './membership.ts';
import type { MemberRecords, MembershipView } from './membership.ts';
import { groupsByName, leaseToMember, notReadyNodes, serviceToView } from './objects-to-domain.ts';
import type { MemberLease, ServiceFilter, ServiceView } from './objects-to-domain.ts';
import type { LocalInterfaces } from './select-local-interfaces.ts';
import { virtualPrefixLength } from './virtual-prefix.ts';

export interface ClusterStateOptions {
  readonly node: string;
  readonly filter: ServiceFilter;
  readonly defaultDurationMs: number;
}

export interface DecideFacts {
  readonly localInterfaces: LocalInterfaces;
  readonly virtualInterface: string;
}

export interface LeaseSnapshot {
  readonly snapshot: ReadonlyMap<string, LeaseObject>;
  /** Monotonic ms. */
  readonly now: number;
  /** Wall clock epoch ms. */
  readonly wallNow: number;
  /**
   * False until this process has written its own Lease: what the API server shows before that is
   * left by a predecessor and says nothing about this process.
   */
  readonly includeSelf: boolean;
}

export interface ClusterState {
  /**
   * Updates the views of the changed Services (absent = deleted). True when a view changed: a write
   * that only touched what the agents themselves write (annotations, conditions) changes none.
   */
  applyServices(snapshot: ReadonlyMap<string, ServiceObject>, changed: Iterable<string>): boolean;
  /** Updates the nodes with endpoints of the changed slices' Services; true when some Service's nodes changed. */
  applySlices(snapshot: ReadonlyMap<string, EndpointSliceObject>, changed: Iterable<string>): boolean;
  applyNodes(snapshot: ReadonlyMap<string, NodeObject>): void;
  applyGroups(snapshot: ReadonlyMap<string, ServiceGroupObject>): void;
  /** Records which membership Leases changed. */
  applyLeases(input: LeaseSnapshot): void;
  /** Recomputes who is live at `now`; true when the members (liveness or subnets) changed. */
  refreshMembership(now: number): boolean;
  membership(): MembershipView;
  decide(facts: DecideFacts): NodeDecision;
  serviceCount(): number;
}

function sameMembers(a: MembershipView, b: MembershipView): boolean {
  if (a.members.length !== b.members.length) return false;
  return a.members.every((m, i) => {
    const n = b.members[i];
    return n !== undefined && n.node === m.node && n.live === m.live && n.subnets.join(',') === m.subnets.join(',');
  });
}

function sameView(a: ServiceView | undefined, b: ServiceView | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.owned === b.owned &&
    a.group === b.group &&
    a.poolType === b.poolType &&
    a.trafficPolicy === b.trafficPolicy &&
    a.sharingKey === b.sharingKey &&
    a.addresses.length === b.addresses.length &&
    a.addresses.every((x, i) => x.address === b.addresses[i]?.address)
  );
}

export function createClusterState(options: ClusterStateOptions): ClusterState {
  const views = new Map<string, ServiceView>();
  const users = new Map<string, number>();
  const elector = createAddressElector();
  const endpoints = createEndpointIndex();
  let notReady: ReadonlySet<string> = new Set();
  let groups: ReadonlyMap<string, ServiceGroup> = new Map();
  let records: MemberRecords = new Map();
  let membership: MembershipView = {
    members: [],
    live: new Set(),
    blind: false,
    selfSeen: false,
    nextExpiryInMs: undefined,
  };

  /** How many Services use each address (a count, not their keys: one Set per address is ~200 bytes). */
  const use = (address: string): void => {
    const count = users.get(address) ?? 0;
    if (count === 0) elector.addAddress(address);
    users.set(address, count + 1);
  };
  const release = (address: string): void => {
    const count = users.get(address);
    if (count === undefined) return;
    if (count > 1) {
      users.set(address, count - 1);
    } else {
      users.delete(address);
      elector.removeAddress(address);
    }
  };

  return {
    applyServices(snapshot, changed) {
      let any = false;
      for (const key of changed) {
        const before = views.get(key);
        const obj = snapshot.get(key);
        const after = obj === undefined ? undefined : serviceToView(obj, options.filter, key);
        if (after === undefined) views.delete(key);
        else views.set(key, after);
        // Who announced last (our own writes) matters only when an address is added: no pass for it.
        if (sameView(before, after)) continue;
        any = true;
        const old = new Set(before?.addresses.map((a) => a.address));
        const now = new Set(after?.addresses.map((a) => a.address));
        for (const a of old) if (!now.has(a)) release(a);
        for (const a of now) if (!old.has(a)) use(a);
      }
      return any;
    },
    applySlices(snapshot, changed) {
      return endpoints.apply(snapshot, changed);
    },
    applyNodes(snapshot) {
      notReady = notReadyNodes(snapshot.values());
    },
    applyGroups(snapshot) {
      groups = groupsByName(snapshot.values());
    },
    applyLeases({ snapshot, now, wallNow, includeSelf }) {
      const leases: MemberLease[] = [];
      for (const obj of snapshot.values()) {
        const lease = leaseToMember(obj);
        if (lease !== undefined && (includeSelf || lease.node !== options.node)) leases.push(lease);
      }
      records = trackMembers({
        previous: records,
        leases,
        now,
        wallNow,
        defaultDurationMs: options.defaultDurationMs,
        self: options.node,
      });
    },
    refreshMembership(now) {
      const next = computeMembership({
        records,
        self: options.node,
        now,
        defaultDurationMs: options.defaultDurationMs,
        notReady,
      });
      const changed = !sameMembers(membership, next);
      membership = next;
      if (changed) elector.setCandidates(next.members.map((m) => ({ name: m.node, subnets: m.subnets, live: m.live })));
      return changed;
    },
    membership: () => membership,
    decide(facts) {
      return decideNode({
        node: options.node,
        virtualInterface: facts.virtualInterface,
        localInterfaces: facts.localInterfaces,
        services: views.values(),
        endpoints: endpoints.nodes(),
        live: membership.live,
        steward: stewardOf(membership.live),
        winnerOf: electionLookup(elector),
        virtualPrefixLength: virtualPrefixLength(groups),
      });
    },
    serviceCount: () => views.size,
  };
}
