// The node agents as their membership Leases show them (`purelb-node-<node>` in the install
// namespace, with the node's subnets in `purelb.io/subnets`), and the election of a local address
// among them with @purelb/election: the same rule the agents apply (SPEC §5.3).
import { electWinner } from '@purelb/election';
import type { Candidate, ElectionResult } from '@purelb/election';
import { formatCidr, parseCidr } from '@purelb/ipam-core';
import type { LeaseObject, NodeObject } from './kube-objects.ts';
import { ANNOTATIONS, MEMBER_LEASE_PREFIX } from './names.ts';

export interface Member {
  readonly node: string;
  /** Canonical CIDRs of the node's local interfaces, both families. */
  readonly subnets: readonly string[];
  /** The Lease was renewed less than its duration ago and the Node is not NotReady. */
  readonly live: boolean;
  /** Why not live, for people. */
  readonly why: string | undefined;
}

/** Lease duration when the Lease has none (the agent's default, SPEC §5.1). */
const DEFAULT_DURATION_MS = 3000;

function parseSubnets(text: string | undefined): string[] {
  const out: string[] = [];
  for (const part of (text ?? '').split(',')) {
    const parsed = parseCidr(part);
    if (!parsed.ok) continue;
    const cidr = formatCidr(parsed.value);
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out;
}

function notReady(nodes: readonly NodeObject[] | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const n of nodes ?? []) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    if (n.metadata?.name !== undefined && ready !== undefined && ready.status !== 'True') out.add(n.metadata.name);
  }
  return out;
}

/**
 * The members, by node name. Liveness is judged at `nowMs` (wall clock) from `renewTime` and
 * `leaseDurationSeconds`: the agents themselves judge by when they saw a Lease change, so a node
 * whose clock is off may be judged differently here (the plugin says so).
 */
export function membersOf(
  leases: readonly LeaseObject[],
  nodes: readonly NodeObject[] | undefined,
  nowMs: number,
): Member[] {
  const down = notReady(nodes);
  const out: Member[] = [];
  for (const lease of leases) {
    const name = lease.metadata?.name;
    if (name?.startsWith(MEMBER_LEASE_PREFIX) !== true || name.length === MEMBER_LEASE_PREFIX.length) continue;
    const node = name.slice(MEMBER_LEASE_PREFIX.length);
    const seconds = lease.spec?.leaseDurationSeconds;
    const durationMs = typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : DEFAULT_DURATION_MS;
    const renewed = lease.spec?.renewTime === undefined ? Number.NaN : Date.parse(lease.spec.renewTime);
    let why: string | undefined;
    if (!Number.isFinite(renewed)) why = 'its Lease has no renew time';
    else if (renewed + durationMs <= nowMs)
      why = `its Lease expired ${Math.round((nowMs - renewed - durationMs) / 1000)} s ago`;
    else if (down.has(node)) why = 'its Node is NotReady';
    out.push({
      node,
      subnets: parseSubnets(lease.metadata?.annotations?.[ANNOTATIONS.subnets]),
      live: why === undefined,
      why,
    });
  }
  return out.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

/** The election of `address` among the members, as every agent runs it. */
export function electAmong(address: string, members: readonly Member[]): ElectionResult {
  const candidates: Candidate[] = members.map((m) => ({ name: m.node, subnets: m.subnets, live: m.live }));
  return electWinner({ address, candidates });
}
