// Which nodes are live, from the membership Leases as this agent has seen them change. Pure: times
// are handed in (`now` from the monotonic clock, `wallNow` epoch ms only to judge a Lease seen for
// the first time).
//
// A member is live while its Lease changed less than its duration ago (by the local monotonic
// clock, from when this agent saw the change) and its Node is not NotReady. When this agent cannot
// see its own Lease renewed (the API server is unreachable for it), its view freezes as of the last
// time it did: a cluster-wide API outage must not make every node withdraw every address.
import type { MemberLease } from './objects-to-domain.ts';

/** A membership Lease and when this agent last saw it change (monotonic ms). */
export interface MemberRecord {
  readonly lease: MemberLease;
  readonly seenChangeAt: number;
}

export type MemberRecords = ReadonlyMap<string, MemberRecord>;

export interface TrackInput {
  readonly previous: MemberRecords;
  readonly leases: Iterable<MemberLease>;
  /** Monotonic ms. */
  readonly now: number;
  /** Wall clock epoch ms. */
  readonly wallNow: number;
  readonly defaultDurationMs: number;
  /** This node: its own Lease is only ever tracked after this process wrote it, so it is fresh when first seen. */
  readonly self?: string;
}

const durationOf = (lease: MemberLease, dflt: number): number => lease.durationMs ?? dflt;

/**
 * Updates the records from the current Leases. A Lease whose resourceVersion moved was renewed now.
 * A Lease seen for the first time is taken as renewed at its `renewTime` (never earlier than a
 * duration ago, never in the future), so a Lease left behind by a dead node does not count as live
 * for a whole duration after this agent starts.
 */
export function trackMembers(input: TrackInput): MemberRecords {
  const out = new Map<string, MemberRecord>();
  for (const lease of input.leases) {
    const old = input.previous.get(lease.node);
    if (old !== undefined && old.lease.resourceVersion === lease.resourceVersion) {
      out.set(lease.node, old.lease === lease ? old : { lease, seenChangeAt: old.seenChangeAt });
      continue;
    }
    if (old !== undefined) {
      out.set(lease.node, { lease, seenChangeAt: input.now });
      continue;
    }
    const duration = durationOf(lease, input.defaultDurationMs);
    const renewed = lease.node === input.self ? undefined : lease.renewedAtEpochMs;
    const age = renewed === undefined ? 0 : Math.min(Math.max(input.wallNow - renewed, 0), duration);
    out.set(lease.node, { lease, seenChangeAt: input.now - age });
  }
  return out;
}

export interface Member {
  readonly node: string;
  readonly subnets: readonly string[];
  readonly live: boolean;
}

export interface MembershipView {
  /** Every node with a membership Lease, live or not, by name. */
  readonly members: readonly Member[];
  readonly live: ReadonlySet<string>;
  /** True when this agent has not seen its own Lease renewed within its duration (its view is frozen). */
  readonly blind: boolean;
  /** Whether this agent's own Lease has been seen at all. */
  readonly selfSeen: boolean;
  /** Time until the view may change by expiry alone (ms), undefined when nothing will expire. */
  readonly nextExpiryInMs: number | undefined;
}

export interface MembershipInput {
  readonly records: MemberRecords;
  readonly self: string;
  /** Monotonic ms. */
  readonly now: number;
  readonly defaultDurationMs: number;
  readonly notReady: ReadonlySet<string>;
}

export function computeMembership(input: MembershipInput): MembershipView {
  const { records, self, now, defaultDurationMs, notReady } = input;
  const own = records.get(self);
  const expiresAt = (r: MemberRecord): number => r.seenChangeAt + durationOf(r.lease, defaultDurationMs);
  const blind = own !== undefined && expiresAt(own) <= now;
  // A blind agent judges everyone as of the last moment it saw its own Lease renewed.
  const at = blind ? own.seenChangeAt : now;
  const members: Member[] = [];
  const live = new Set<string>();
  let next: number | undefined;
  for (const r of [...records.values()].sort((a, b) =>
    a.lease.node < b.lease.node ? -1 : a.lease.node > b.lease.node ? 1 : 0,
  )) {
    const fresh = expiresAt(r) > at;
    const isLive = own !== undefined && fresh && !notReady.has(r.lease.node);
    members.push({ node: r.lease.node, subnets: r.lease.subnets, live: isLive });
    if (isLive) live.add(r.lease.node);
    if (!blind && fresh) {
      const inMs = expiresAt(r) - now;
      if (next === undefined || inMs < next) next = inMs;
    }
  }
  return { members, live, blind, selfSeen: own !== undefined, nextExpiryInMs: next };
}

/** The live node that writes what nobody else can (conditions of Services no node announces locally). */
export function stewardOf(live: ReadonlySet<string>): string | undefined {
  let lowest: string | undefined;
  for (const n of live) if (lowest === undefined || n < lowest) lowest = n;
  return lowest;
}
