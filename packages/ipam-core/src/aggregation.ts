// `aggregation` of a pool: `default` (or absent) or `/N`. Decides the prefix length of a virtual
// address on the agent's virtual interface.
import { boundText } from './bound-text.ts';
import { familyBits, parseFailure } from './address.ts';
import type { IpFamily, Parsed } from './address.ts';
import type { Cidr } from './address-range.ts';

/** `default` = the subnet's prefix length; `prefix` = an explicit `/N`. */
export type Aggregation = { readonly kind: 'default' } | { readonly kind: 'prefix'; readonly prefixLength: number };

/**
 * Parses an aggregation for the family (`undefined` means `default`): exactly `default` or `/N`, N
 * without leading zeros, 8..32 (IPv4) or 8..128 (IPv6), as the CRD has it.
 */
export function parseAggregation(text: string | undefined, family: IpFamily): Parsed<Aggregation> {
  if (text === undefined || text === 'default') return { ok: true, value: { kind: 'default' } };
  const max = familyBits(family);
  const match = /^\/([1-9][0-9]{0,2})$/.exec(text);
  const n = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!(n >= 8 && n <= max)) {
    return parseFailure(
      'InvalidAggregation',
      `aggregation must be "default" or "/N" with N from 8 to ${max} (got ${boundText(text)})`,
    );
  }
  return { ok: true, value: { kind: 'prefix', prefixLength: n } };
}

/** The prefix length to put a virtual address on an interface with: `default` → subnet's, `/N` → N. */
export function aggregationPrefixLength(aggregation: Aggregation, subnet: Cidr): number {
  switch (aggregation.kind) {
    case 'default':
      return subnet.prefixLength;
    case 'prefix':
      return aggregation.prefixLength;
  }
}
