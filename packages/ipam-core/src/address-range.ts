// Inclusive ranges of addresses and CIDR blocks, and the pool syntax of SPEC §2: `A-B` (spaces
// around `-` allowed) or a CIDR whose written address is where the pool starts.
import { boundText } from './bound-text.ts';
import { familyBits, familyMax, formatValue, parseAddress, parseFailure } from './address.ts';
import type { IpAddress, IpFamily, Parsed } from './address.ts';

/** An inclusive range of addresses of one family, `first <= last`. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** A CIDR block: the written address, its prefix length, and the block it names. */
export interface Cidr {
  readonly family: IpFamily;
  /** The address as written (may have host bits set). */
  readonly address: bigint;
  readonly prefixLength: number;
  /** The network address of the block. */
  readonly first: bigint;
  /** The last address of the block. */
  readonly last: bigint;
}

/** Parses `address/prefix` (whitespace around the text is ignored). */
export function parseCidr(text: string): Parsed<Cidr> {
  const t = text.trim();
  const slash = t.indexOf('/');
  const fail = parseFailure('InvalidCidr', `${boundText(t)} is not a valid CIDR`);
  if (slash < 0) return fail;
  const address = parseAddress(t.slice(0, slash));
  const prefixText = t.slice(slash + 1);
  if (!address.ok || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return fail;
  const { family, value } = address.value;
  const bits = familyBits(family);
  const prefixLength = Number(prefixText);
  if (prefixLength > bits) return fail;
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  const first = value & (familyMax(family) ^ hostMask);
  return { ok: true, value: { family, address: value, prefixLength, first, last: first | hostMask } };
}

/**
 * Parses a pool: `A-B` (inclusive, spaces around `-` allowed) or a CIDR. A CIDR whose written
 * address is not its network address starts at the written address (`fc00::4/64` = `fc00::4` to
 * the end of the /64).
 */
export function parsePool(text: string): Parsed<AddressRange> {
  const t = text.trim();
  if (t.includes('/')) {
    const cidr = parseCidr(t);
    if (!cidr.ok) return parseFailure('InvalidPool', `${boundText(t)} is not a valid address range or CIDR`);
    return { ok: true, value: { family: cidr.value.family, first: cidr.value.address, last: cidr.value.last } };
  }
  const dash = t.indexOf('-');
  const fail = parseFailure('InvalidPool', `${boundText(t)} is not a valid address range or CIDR`);
  if (dash < 0 || t.indexOf('-', dash + 1) >= 0) return fail;
  const from = parseAddress(t.slice(0, dash));
  const to = parseAddress(t.slice(dash + 1));
  if (!from.ok || !to.ok) return fail;
  const a = from.value;
  const b = to.value;
  if (a.family !== b.family) {
    return parseFailure(
      'InvalidPool',
      `range mixes IPv4 and IPv6 (${formatValue(a.family, a.value)}, ${formatValue(b.family, b.value)})`,
    );
  }
  if (a.value > b.value) {
    return parseFailure(
      'InvalidPool',
      `range start ${formatValue(a.family, a.value)} is after its end ${formatValue(b.family, b.value)}`,
    );
  }
  return { ok: true, value: { family: a.family, first: a.value, last: b.value } };
}

/** The number of addresses in the range (exact). */
export function rangeSize(range: AddressRange): bigint {
  return range.last - range.first + 1n;
}

/** Whether the range holds the address. */
export function rangeContains(range: AddressRange, address: IpAddress): boolean {
  return range.family === address.family && range.first <= address.value && address.value <= range.last;
}

/** Whether `outer` holds every address of `inner`. */
export function rangeCovers(outer: AddressRange, inner: AddressRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the two ranges share at least one address. */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Canonical text of a range: `first-last`. */
export function formatRange(range: AddressRange): string {
  return `${formatValue(range.family, range.first)}-${formatValue(range.family, range.last)}`;
}

/** Canonical text of a CIDR block: `network/prefix`. */
export function formatCidr(cidr: Cidr): string {
  return `${formatValue(cidr.family, cidr.first)}/${cidr.prefixLength}`;
}
