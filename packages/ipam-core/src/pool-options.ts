// What a pool keeps back from its range: the addresses of its subnet that no host should get
// (`avoidBuggyIPs`: the IPv4 network and broadcast addresses, the IPv6 subnet-router anycast address)
// and the operator's own `exclude` list. The pool hands out its range minus these, lowest first.
import type { IpFamily } from './address.ts';
import { parseAddress } from './address.ts';
import { formatCidr, formatRange, parsePool, rangeCovers } from './address-range.ts';
import { boundText } from './bound-text.ts';
import type { AddressRange, Cidr } from './address-range.ts';
import type { GroupError } from './service-group.ts';

/** The CRD's `maxItems` of a pool's `exclude` list and `maxLength` of one entry. */
export const MAX_EXCLUDED = 16;
const MAX_EXCLUDE_BYTES = 100;

const utf8 = new TextEncoder();

const invalid = (path: string, message: string): GroupError => ({ code: 'InvalidPool', message, path });

/** `::ffff:a.b.c.d`: the API server refuses IPv4-mapped IPv6 addresses. */
const isIpv4Mapped = (family: IpFamily, value: bigint): boolean => family === 'IPv6' && value >> 32n === 0xffffn;

/**
 * The addresses of a subnet that hosts should not get: for IPv4 its network and broadcast addresses
 * (none for a /31 or /32, RFC 3021), for IPv6 its subnet-router anycast address (none for a /127 or
 * /128, RFC 6164).
 */
export function reservedAddresses(subnet: Cidr): AddressRange[] {
  const one = (v: bigint): AddressRange => ({ family: subnet.family, first: v, last: v });
  if (subnet.family === 'IPv4') return subnet.prefixLength >= 31 ? [] : [one(subnet.first), one(subnet.last)];
  return subnet.prefixLength >= 127 ? [] : [one(subnet.first)];
}

/** `range` minus every hole, as disjoint ranges in ascending order. */
export function subtractRanges(range: AddressRange, holes: readonly AddressRange[]): AddressRange[] {
  const sorted = holes
    .filter((h) => h.family === range.family && h.first <= range.last && h.last >= range.first)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: AddressRange[] = [];
  let cursor = range.first;
  for (const h of sorted) {
    if (h.first > cursor) out.push({ family: range.family, first: cursor, last: h.first - 1n });
    if (h.last + 1n > cursor) cursor = h.last + 1n;
    if (cursor > range.last) return out;
  }
  out.push({ family: range.family, first: cursor, last: range.last });
  return out;
}

/** The written pool options, as parsed. */
export interface PoolOptions {
  readonly avoidBuggyIPs: boolean;
  readonly exclude: readonly AddressRange[];
}

/** Where a pool's options are read and what they are checked against. */
export interface PoolOptionsContext {
  /** The pool entry's path, e.g. `spec.local.v4pools[1]`. */
  readonly path: string;
  /** The pool's family when known (from its list, else its addresses). */
  readonly family: IpFamily | undefined;
  readonly subnet: Cidr | undefined;
  /** The group's `avoidBuggyIPs`, which a pool's own value overrides. */
  readonly groupAvoidBuggyIPs: boolean;
  /** Whether the entry may carry its own `avoidBuggyIPs` (the legacy form takes the group's). */
  readonly ownAvoid: boolean;
  readonly errors: GroupError[];
}

/** Reads `avoidBuggyIPs` of a group or pool: a boolean, or absent. */
export function readAvoidBuggyIPs(
  raw: Record<string, unknown>,
  path: string,
  errors: GroupError[],
): boolean | undefined {
  const v = raw.avoidBuggyIPs;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    errors.push(invalid(`${path}.avoidBuggyIPs`, 'must be a boolean'));
    return undefined;
  }
  return v;
}

/** One `exclude` entry: an address, a range `A-B` or a CIDR (as a pool: from its written address). */
function parseExcludeEntry(text: string): { ok: true; value: AddressRange } | { ok: false; message: string } {
  const syntax = { ok: false as const, message: `${boundText(text)} is not a valid address, range or CIDR` };
  if (text.includes('/') || text.includes('-')) {
    if (text.includes('/') && text !== text.trim()) return syntax;
    const parsed = parsePool(text);
    return parsed.ok ? parsed : { ok: false, message: parsed.error.message };
  }
  const parsed = parseAddress(text);
  if (!parsed.ok || text !== text.trim()) return syntax;
  const { family, value } = parsed.value;
  return { ok: true, value: { family, first: value, last: value } };
}

/** Reads `exclude` of a pool entry: every entry checked, located at `exclude[j]`. */
function readExclude(raw: Record<string, unknown>, ctx: PoolOptionsContext): AddressRange[] {
  const list = raw.exclude;
  const at = `${ctx.path}.exclude`;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    ctx.errors.push(invalid(at, 'must be a list'));
    return [];
  }
  if (list.length > MAX_EXCLUDED) {
    ctx.errors.push(invalid(at, `must have at most ${MAX_EXCLUDED} entries`));
    return [];
  }
  const out: AddressRange[] = [];
  list.forEach((entry: unknown, j) => {
    const path = `${at}[${j}]`;
    if (typeof entry !== 'string') {
      ctx.errors.push(invalid(path, 'must be a string'));
      return;
    }
    if (utf8.encode(entry).length > MAX_EXCLUDE_BYTES) {
      ctx.errors.push(invalid(path, `must be at most ${MAX_EXCLUDE_BYTES} bytes`));
      return;
    }
    const parsed = parseExcludeEntry(entry);
    if (!parsed.ok) {
      ctx.errors.push(invalid(path, parsed.message));
      return;
    }
    const range = parsed.value;
    const shown = formatRange(range);
    if (isIpv4Mapped(range.family, range.first) || isIpv4Mapped(range.family, range.last)) {
      ctx.errors.push(
        invalid(
          path,
          `${boundText(entry)} is not a valid address, range or CIDR (IPv4-mapped IPv6 addresses are not allowed)`,
        ),
      );
    } else if (ctx.family !== undefined && range.family !== ctx.family) {
      ctx.errors.push(invalid(path, `exclude entry ${shown} is ${range.family} but the pool is ${ctx.family}`));
    } else if (ctx.subnet !== undefined && ctx.subnet.family === range.family && !rangeCovers(ctx.subnet, range)) {
      ctx.errors.push(invalid(path, `exclude entry ${shown} is not inside subnet ${formatCidr(ctx.subnet)}`));
    } else {
      out.push(range);
    }
  });
  return out;
}

/** Reads a pool entry's `avoidBuggyIPs` (over the group's) and `exclude`; errors go to `ctx.errors`. */
export function readPoolOptions(raw: Record<string, unknown>, ctx: PoolOptionsContext): PoolOptions {
  const own = ctx.ownAvoid ? readAvoidBuggyIPs(raw, ctx.path, ctx.errors) : undefined;
  return { avoidBuggyIPs: own ?? ctx.groupAvoidBuggyIPs, exclude: readExclude(raw, ctx) };
}

/** The addresses a pool hands out: its range minus the reserved addresses (when avoided) and the excluded ones. */
export function usableRanges(range: AddressRange, subnet: Cidr, options: PoolOptions): AddressRange[] {
  const holes = [...(options.avoidBuggyIPs ? reservedAddresses(subnet) : []), ...options.exclude];
  return holes.length === 0 ? [range] : subtractRanges(range, holes);
}
