// One pool of a ServiceGroup spec (`{ pool, subnet, aggregation? }`, wherever it is written) → a Pool,
// or located errors. The text rules are the CRD's (deploy/crds/servicegroups.purelb.io.yaml): its
// lengths, no blanks around a CIDR, no IPv4-mapped IPv6 address, a range in address order.
import type { IpFamily } from './address.ts';
import { formatCidr, formatRange, parseCidr, parsePool, rangeCovers } from './address-range.ts';
import type { AddressRange, Cidr } from './address-range.ts';
import { parseAggregation } from './aggregation.ts';
import type { Aggregation } from './aggregation.ts';
import { readPoolOptions, usableRanges } from './pool-options.ts';
import type { GroupError, Pool } from './service-group.ts';

/** One pool as written, before parsing. */
export interface PoolEntry {
  /** Where it is written, e.g. `spec.local.v4pools[1]` (`spec.local` for the legacy form). */
  readonly path: string;
  /** The list or singular field it is written in; the legacy form takes its family from its addresses. */
  readonly listedAs?: { readonly family: IpFamily; readonly field: string };
  readonly raw: unknown;
  /** The group's `avoidBuggyIPs` (default false); a list entry's own value overrides it. */
  readonly groupAvoidBuggyIPs?: boolean;
}

/** The CRD's `maxLength` of each text field, in bytes (UTF-8). */
const MAX_BYTES = { pool: 100, subnet: 64, aggregation: 16 } as const;
type TextField = keyof typeof MAX_BYTES;

const utf8 = new TextEncoder();

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function invalid(path: string, message: string): GroupError {
  return { code: 'InvalidPool', message, path };
}

/** `::ffff:a.b.c.d`: the API server refuses IPv4-mapped IPv6 addresses in IPs and CIDRs. */
const isIpv4Mapped = (family: IpFamily, value: bigint): boolean => family === 'IPv6' && value >> 32n === 0xffffn;

/** The text of `raw[field]`, or undefined (and an error unless it may be absent) when it is not usable. */
function readText(
  raw: Record<string, unknown>,
  field: TextField,
  at: { readonly path: string; readonly errors: GroupError[] },
): string | undefined {
  const v = raw[field];
  const path = `${at.path}.${field}`;
  if (v === undefined || v === null) {
    if (field !== 'aggregation') at.errors.push(invalid(path, 'required'));
    return undefined;
  }
  if (typeof v !== 'string') {
    at.errors.push(invalid(path, 'must be a string'));
    return undefined;
  }
  if (utf8.encode(v).length > MAX_BYTES[field]) {
    at.errors.push(invalid(path, `must be at most ${MAX_BYTES[field]} bytes`));
    return undefined;
  }
  return v;
}

function readRange(text: string, path: string, errors: GroupError[]): AddressRange | undefined {
  const isCidr = text.includes('/');
  const parsed = parsePool(text);
  if (!parsed.ok) {
    errors.push(invalid(path, parsed.error.message));
    return undefined;
  }
  const range = parsed.value;
  if (isCidr && text !== text.trim()) {
    errors.push(invalid(path, `"${text}" is not a valid address range or CIDR (a CIDR takes no blanks around it)`));
    return undefined;
  }
  if (isIpv4Mapped(range.family, range.first) || (!isCidr && isIpv4Mapped(range.family, range.last))) {
    errors.push(
      invalid(path, `"${text}" is not a valid address range or CIDR (IPv4-mapped IPv6 addresses are not allowed)`),
    );
    return undefined;
  }
  return range;
}

function readSubnet(text: string, path: string, errors: GroupError[]): Cidr | undefined {
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    errors.push(invalid(path, parsed.error.message));
    return undefined;
  }
  if (text !== text.trim()) {
    errors.push(invalid(path, `"${text}" is not a valid CIDR (it takes no blanks around it)`));
    return undefined;
  }
  if (isIpv4Mapped(parsed.value.family, parsed.value.address)) {
    errors.push(invalid(path, `"${text}" is not a valid CIDR (IPv4-mapped IPv6 addresses are not allowed)`));
    return undefined;
  }
  return parsed.value;
}

/** Parses one pool entry; on any error it reports every one it found and returns undefined. */
export function parsePoolEntry(entry: PoolEntry, errors: GroupError[]): Pool | undefined {
  const { path, raw, listedAs } = entry;
  if (!isRecord(raw)) {
    errors.push(invalid(path, 'must be an object with pool and subnet'));
    return undefined;
  }
  const before = errors.length;
  const at = { path, errors };
  const poolText = readText(raw, 'pool', at);
  const subnetText = readText(raw, 'subnet', at);
  const aggregationText = readText(raw, 'aggregation', at);
  const range = poolText === undefined ? undefined : readRange(poolText, `${path}.pool`, errors);
  const subnet = subnetText === undefined ? undefined : readSubnet(subnetText, `${path}.subnet`, errors);
  if (range !== undefined && listedAs !== undefined && range.family !== listedAs.family) {
    errors.push(
      invalid(`${path}.pool`, `pool ${formatRange(range)} is ${range.family} but is listed under ${listedAs.field}`),
    );
  }
  if (subnet !== undefined && listedAs !== undefined && subnet.family !== listedAs.family) {
    errors.push(
      invalid(
        `${path}.subnet`,
        `subnet ${formatCidr(subnet)} is ${subnet.family} but is listed under ${listedAs.field}`,
      ),
    );
  } else if (range !== undefined && subnet !== undefined) {
    if (subnet.family !== range.family) {
      errors.push(
        invalid(`${path}.subnet`, `subnet ${formatCidr(subnet)} is ${subnet.family} but the pool is ${range.family}`),
      );
    } else if (!rangeCovers(subnet, range)) {
      errors.push(invalid(`${path}.pool`, `pool ${formatRange(range)} is not inside subnet ${formatCidr(subnet)}`));
    }
  }
  // As the CRD decides it: by the list for v4pools/v6pools, by the subnet for the legacy form.
  const family = listedAs?.family ?? subnet?.family ?? range?.family ?? 'IPv4';
  let aggregation: Aggregation | undefined;
  const parsedAggregation = parseAggregation(aggregationText, family);
  if (parsedAggregation.ok) aggregation = parsedAggregation.value;
  else if (aggregationText !== undefined) errors.push(invalid(`${path}.aggregation`, parsedAggregation.error.message));
  const options = readPoolOptions(raw, {
    path,
    family: listedAs?.family ?? range?.family,
    subnet,
    groupAvoidBuggyIPs: entry.groupAvoidBuggyIPs ?? false,
    ownAvoid: listedAs !== undefined,
    errors,
  });
  if (errors.length > before || range === undefined || subnet === undefined || aggregation === undefined)
    return undefined;
  const { avoidBuggyIPs, exclude } = options;
  return {
    family: range.family,
    range,
    subnet,
    aggregation,
    path,
    avoidBuggyIPs,
    exclude,
    usable: usableRanges(range, subnet, options),
  };
}
