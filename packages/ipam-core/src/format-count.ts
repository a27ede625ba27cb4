// Address counts and ranges for people: `254`, `18.4E`, `2001:db8::/64`. Exact values stay in the
// decimal strings of the status; these are for narrow columns and summaries.
import { familyBits, formatValue } from './address.ts';
import type { AddressRange } from './address-range.ts';

const SUFFIXES = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y', 'R', 'Q'] as const;

/**
 * A count in at most five characters: exact below 10,000 (`9999`), else three significant digits,
 * rounded down so that a count is never shown larger than it is, with an SI suffix (`10.0k`, `254k`,
 * `18.4E` for 2^64), and beyond the last suffix as `3.40e38`.
 */
export function formatCount(n: bigint): string {
  if (n < 0n) return `-${formatCount(-n)}`;
  if (n < 10_000n) return n.toString();
  const digits = n.toString();
  const exponent = digits.length - 1;
  const group = Math.floor(exponent / 3);
  const lead = digits.slice(0, 3);
  if (group > SUFFIXES.length) return `${lead[0] ?? ''}.${lead.slice(1)}e${exponent}`;
  const whole = (exponent % 3) + 1;
  const text = whole === 3 ? lead : `${lead.slice(0, whole)}.${lead.slice(whole)}`;
  return `${text}${SUFFIXES[group - 1] ?? ''}`;
}

/** `used/capacity` in human counts, e.g. `3/254`, `1/18.4E`. */
export function formatUsage(used: bigint, capacity: bigint): string {
  return `${formatCount(used)}/${formatCount(capacity)}`;
}

/**
 * A range as short as it can be written: a CIDR when it is exactly one block (`2001:db8::/64`), one
 * address when it holds one, else `first-last` (canonical, IPv6 compressed).
 */
export function formatRangeCompact(range: AddressRange): string {
  const first = formatValue(range.family, range.first);
  if (range.first === range.last) return first;
  const size = range.last - range.first + 1n;
  const isPowerOfTwo = (size & (size - 1n)) === 0n;
  if (isPowerOfTwo && (range.first & (size - 1n)) === 0n) {
    const hostBits = size.toString(2).length - 1;
    return `${first}/${familyBits(range.family) - hostBits}`;
  }
  return `${first}-${formatValue(range.family, range.last)}`;
}
