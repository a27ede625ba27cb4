// Candidate nodes as the caller gives them, and the one record per node name the election works on.
import { parseCidr, rangeContains } from '@purelb/ipam-core';
import type { AddressRange, Cidr, IpAddress } from '@purelb/ipam-core';

/** A subnet of a node: CIDR text (`192.0.2.0/24`, `2001:db8::/64`) or a CIDR parsed by `parseCidr`. */
export type SubnetInput = string | Cidr;

/**
 * A node that may announce addresses: its name, the subnets of its announcing interface (both
 * families in one list; an address only ever matches subnets of its own family), and whether it
 * is live.
 */
export interface Candidate {
  readonly name: string;
  readonly subnets: readonly SubnetInput[];
  readonly live: boolean;
}

/** One node as the election sees it: subnets parsed to ranges, one record per name. */
export interface CandidateRecord {
  readonly name: string;
  readonly live: boolean;
  readonly subnets: readonly AddressRange[];
}

function toRange(subnet: SubnetInput): AddressRange | undefined {
  if (typeof subnet !== 'string') return { family: subnet.family, first: subnet.first, last: subnet.last };
  const parsed = parseCidr(subnet);
  return parsed.ok ? { family: parsed.value.family, first: parsed.value.first, last: parsed.value.last } : undefined;
}

/** Whether the node has a subnet holding the address (liveness aside). */
export function hasSubnetFor(record: CandidateRecord, address: IpAddress): boolean {
  for (const range of record.subnets) if (rangeContains(range, address)) return true;
  return false;
}

/** Whether the node may win the address: live, with a subnet holding it. */
export function isEligible(record: CandidateRecord, address: IpAddress): boolean {
  return record.live && hasSubnetFor(record, address);
}

/**
 * One record per name. Subnet text that does not parse holds no address. A name given more than
 * once is one node that is eligible for an address when any of its entries is: it is live when any
 * entry is live, with the subnets of its live entries (of all entries when none is live).
 */
export function mergeCandidates(candidates: Iterable<Candidate>): Map<string, CandidateRecord> {
  const entries = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const list = entries.get(c.name);
    if (list === undefined) entries.set(c.name, [c]);
    else list.push(c);
  }
  const records = new Map<string, CandidateRecord>();
  for (const [name, list] of entries) {
    const live = list.some((c) => c.live);
    const subnets: AddressRange[] = [];
    for (const c of list) {
      if (live && !c.live) continue;
      for (const s of c.subnets) {
        const range = toRange(s);
        if (range !== undefined) subnets.push(range);
      }
    }
    records.set(name, { name, live, subnets });
  }
  return records;
}

/** Whether two records make the same node (same liveness, same subnets in the same order). */
export function sameRecord(a: CandidateRecord, b: CandidateRecord): boolean {
  if (a.live !== b.live || a.subnets.length !== b.subnets.length) return false;
  return a.subnets.every((s, i) => {
    const t = b.subnets[i];
    return t !== undefined && s.family === t.family && s.first === t.first && s.last === t.last;
  });
}
