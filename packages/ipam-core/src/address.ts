// IP addresses as exact integers: IPv4 in [0, 2^32), IPv6 in [0, 2^128). Parsing accepts the usual
// text forms; formatting always gives the canonical one (dotted quad, RFC 5952 for IPv6).
import { boundText } from './bound-text.ts';

/** An address family, spelled as Kubernetes spells it in `spec.ipFamilies`. */
export type IpFamily = 'IPv4' | 'IPv6';

/** Both families in their canonical order. */
export const IP_FAMILIES: readonly IpFamily[] = ['IPv4', 'IPv6'];

/** An IP address: its family and its value as an unsigned integer. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** What a text failed to be. Closed, but may grow in a minor release: keep a default branch. */
export type ParseErrorCode = 'InvalidAddress' | 'InvalidCidr' | 'InvalidPool' | 'InvalidAggregation';

/** Why a text did not parse. */
export interface ParseError {
  readonly code: ParseErrorCode;
  readonly message: string;
}

/** The outcome of parsing one piece of text. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseError };

/** The number of bits in an address of the family (32 or 128). */
export function familyBits(family: IpFamily): number {
  return family === 'IPv4' ? 32 : 128;
}

/** The largest address value of the family. */
export function familyMax(family: IpFamily): bigint {
  return family === 'IPv4' ? 0xffff_ffffn : (1n << 128n) - 1n;
}

/** A failed parse. */
export const parseFailure = (
  code: ParseErrorCode,
  message: string,
): { readonly ok: false; readonly error: ParseError } => ({
  ok: false,
  error: { code, message },
});

/**
 * Parses an IPv4 dotted quad into its value, or returns -1. Octets are decimal 0..255 without
 * leading zeros (as Go's net/netip and Kubernetes require).
 */
export function parseIpv4Number(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** Formats an IPv4 value (0..2^32-1) as a dotted quad. */
export function formatIpv4Number(value: number): string {
  return `${Math.floor(value / 16777216) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

function parseIpv6(text: string): bigint | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const head = doubleColon === -1 ? text : text.slice(0, doubleColon);
  const tail = doubleColon === -1 ? '' : text.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const words: number[] = [];
  const all = [...headGroups, ...tailGroups];
  const last = all.at(-1);
  let v4tail = -1;
  if (last?.includes('.') === true) {
    v4tail = parseIpv4Number(last);
    if (v4tail < 0) return undefined;
    if (tailGroups.length > 0) tailGroups.pop();
    else headGroups.pop();
  }
  const wordsWanted = v4tail >= 0 ? 6 : 8;
  const parseGroups = (groups: readonly string[]): boolean => {
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      words.push(Number.parseInt(g, 16));
    }
    return true;
  };
  if (!parseGroups(headGroups)) return undefined;
  const headCount = words.length;
  if (!parseGroups(tailGroups)) return undefined;
  const given = words.length;
  if (doubleColon === -1) {
    if (given !== wordsWanted) return undefined;
  } else {
    if (given > wordsWanted - 1) return undefined;
    words.splice(headCount, 0, ...new Array<number>(wordsWanted - given).fill(0));
  }
  let value = 0n;
  for (const w of words) value = (value << 16n) | BigInt(w);
  if (v4tail >= 0) value = (value << 32n) | BigInt(v4tail);
  return value;
}

/** Parses an IPv4 or IPv6 address (surrounding whitespace is ignored; zones are not accepted). */
export function parseAddress(text: string): Parsed<IpAddress> {
  const t = text.trim();
  if (t.includes(':')) {
    const value = parseIpv6(t);
    return value === undefined
      ? parseFailure('InvalidAddress', `${boundText(t)} is not a valid IPv6 address`)
      : { ok: true, value: { family: 'IPv6', value } };
  }
  const v4 = parseIpv4Number(t);
  return v4 < 0
    ? parseFailure('InvalidAddress', `${boundText(t)} is not a valid IP address`)
    : { ok: true, value: { family: 'IPv4', value: BigInt(v4) } };
}

const MASK32 = 0xffff_ffffn;

/** Canonical RFC 5952 text of an IPv6 address given as eight 16-bit words. */
export function formatIpv6Words(words: readonly number[]): string {
  // RFC 5952 section 5: IPv4-mapped addresses keep the dotted tail.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${formatIpv4Number((words[6] as number) * 65536 + (words[7] as number))}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLength - 1;
      continue;
    }
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== 58) out += ':';
    out += (words[i] as number).toString(16);
  }
  return out;
}

/** The eight 16-bit words of an IPv6 value. */
export function ipv6Words(value: bigint): number[] {
  const a = Number(value >> 96n);
  const b = Number((value >> 64n) & MASK32);
  const c = Number((value >> 32n) & MASK32);
  const d = Number(value & MASK32);
  return [a >>> 16, a & 0xffff, b >>> 16, b & 0xffff, c >>> 16, c & 0xffff, d >>> 16, d & 0xffff];
}

/** Formats an IPv6 value in the canonical form of RFC 5952 (lower case, longest zero run as `::`). */
export function formatIpv6Value(value: bigint): string {
  return formatIpv6Words(ipv6Words(value));
}

/** Formats an address in its canonical text form. */
export function formatAddress(address: IpAddress): string {
  return address.family === 'IPv4' ? formatIpv4Number(Number(address.value)) : formatIpv6Value(address.value);
}

/** Formats a value of the given family in its canonical text form. */
export function formatValue(family: IpFamily, value: bigint): string {
  return formatAddress({ family, value });
}
