// The rendezvous hash: SHA-256 of `node + "#" + canonicalAddress`, as lower-case hex. Comparing two
// such strings with `<` orders them exactly as comparing the digests byte by byte.
import { hash } from 'node:crypto';

/** The lower-case hex SHA-256 digest of `${node}#${canonicalAddress}` (UTF-8). */
export function hashCandidate(node: string, canonicalAddress: string): string {
  return hash('sha256', `${node}#${canonicalAddress}`, 'hex');
}

/** A node with its digest for one address. */
export interface RankedEntry {
  readonly node: string;
  readonly digest: string;
}

/** Orders by digest (lowest first), then by node name (UTF-16 code units); 0 only for equal entries. */
export function compareRanked(a: RankedEntry, b: RankedEntry): number {
  if (a.digest !== b.digest) return a.digest < b.digest ? -1 : 1;
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  return 0;
}
