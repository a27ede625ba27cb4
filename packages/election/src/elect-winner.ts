// One election from scratch: which candidate announces one address.
import type { Candidate, CandidateRecord } from './candidate.ts';
import { hasSubnetFor, mergeCandidates } from './candidate.ts';
import type { ElectionResult, RankedCandidate } from './election.ts';
import { compareRanked, hashCandidate } from './hash-candidate.ts';
import type { RankedEntry } from './hash-candidate.ts';
import { parseElectionAddress } from './parse-election-address.ts';
import type { ElectionAddress } from './parse-election-address.ts';

/** The inputs of one election. */
export interface ElectionRequest {
  /** Any text form of an IPv4 or IPv6 address. */
  readonly address: string;
  readonly candidates: Iterable<Candidate>;
  /** Nodes to choose among first (for example the nodes with a ready endpoint); empty = no preference. */
  readonly preferred?: Iterable<string> | undefined;
}

/**
 * Elects the node that announces the address: among the live candidates with a subnet holding it,
 * the one with the lowest SHA-256 of `${node}#${canonicalAddress}` (ties by name), taken from the
 * preferred ones when any of them is eligible.
 */
export function electWinner(request: ElectionRequest): ElectionResult {
  const parsed = parseElectionAddress(request.address);
  if (!parsed.ok) return parsed;
  return electAmong(parsed.value, mergeCandidates(request.candidates), request.preferred);
}

/** The election of a parsed address among merged candidate records (the incremental elector keeps them merged). */
export function electAmong(
  parsed: ElectionAddress,
  records: ReadonlyMap<string, CandidateRecord>,
  preferredNodes: Iterable<string> | undefined,
): ElectionResult {
  const { text, address } = parsed;
  if (records.size === 0) {
    return {
      ok: false,
      error: { code: 'NoCandidates', message: `no candidate nodes for address ${text}`, address: text },
    };
  }
  const eligible: RankedEntry[] = [];
  const notLive: string[] = [];
  const withoutSubnet: string[] = [];
  for (const record of records.values()) {
    if (!hasSubnetFor(record, address)) withoutSubnet.push(record.name);
    else if (!record.live) notLive.push(record.name);
    else eligible.push({ node: record.name, digest: hashCandidate(record.name, text) });
  }
  if (eligible.length === 0) {
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return {
      ok: false,
      error: {
        code: 'NoEligibleNode',
        message: `no live node has a subnet holding ${text} (${withoutSubnet.length} without the subnet, ${notLive.length} not live)`,
        address: text,
        notLive: notLive.sort(byName),
        withoutSubnet: withoutSubnet.sort(byName),
      },
    };
  }
  eligible.sort(compareRanked);
  const preferred = new Set(preferredNodes ?? []);
  const first = eligible.filter((e) => preferred.has(e.node));
  const rule = first.length > 0 ? 'preferred' : 'eligible';
  const ordered = rule === 'preferred' ? [...first, ...eligible.filter((e) => !preferred.has(e.node))] : eligible;
  const ranking: RankedCandidate[] = ordered.map((e) => ({
    node: e.node,
    digest: e.digest,
    preferred: preferred.has(e.node),
  }));
  const winner = (ranking[0] as RankedCandidate).node;
  return { ok: true, value: { address: text, family: address.family, winner, rule, ranking } };
}
