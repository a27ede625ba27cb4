// parse → normalise → validate one ServiceGroup spec on its own.
import type { IpFamily } from './address.ts';
import { formatCidr, formatRange, parseCidr, parsePool, rangeCovers, rangesOverlap } from './address-range.ts';
import type { AddressRange, Cidr } from './address-range.ts';
import { parseAggregation } from './aggregation.ts';
import type { Aggregation } from './aggregation.ts';
import { describePoolRelation } from './pool-relation.ts';
import type { GroupError, Pool, ServiceGroup, Validated } from './service-group.ts';

interface PoolEntry {
  readonly path: string;
  readonly listedAs?: { readonly family: IpFamily; readonly field: string };
  readonly raw: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(path: string, message: string): GroupError {
  return { path, code: 'InvalidPool', message };
}

function readString(obj: Record<string, unknown>, field: string, path: string, errors: GroupError[], required: boolean): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) {
    if (required) errors.push(invalid(`${path}.${field}`, 'required'));
    return undefined;
  }
  if (typeof v !== 'string') {
    errors.push(invalid(`${path}.${field}`, 'must be a string'));
    return undefined;
  }
  return v;
}

function collectEntries(local: Record<string, unknown>, errors: GroupError[]): PoolEntry[] {
  const entries: PoolEntry[] = [];
  if (local.pool !== undefined || local.subnet !== undefined) entries.push({ path: 'spec.local', raw: local });
  for (const family of ['IPv4', 'IPv6'] as const) {
    const prefix = family === 'IPv4' ? 'v4' : 'v6';
    const single = local[`${prefix}pool`];
    if (single !== undefined && single !== null) {
      entries.push({ path: `spec.local.${prefix}pool`, listedAs: { family, field: `${prefix}pool` }, raw: single });
    }
    const list = local[`${prefix}pools`];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      errors.push(invalid(`spec.local.${prefix}pools`, 'must be a list'));
      continue;
    }
    list.forEach((raw: unknown, i) => {
      entries.push({ path: `spec.local.${prefix}pools[${i}]`, listedAs: { family, field: `${prefix}pools` }, raw });
    });
  }
  return entries;
}

function parseEntry(entry: PoolEntry, errors: GroupError[]): Pool | undefined {
  const { path, raw, listedAs } = entry;
  if (!isRecord(raw)) {
    errors.push(invalid(path, 'must be an object with pool and subnet'));
    return undefined;
  }
  const before = errors.length;
  const poolText = readString(raw, 'pool', path, errors, true);
  const subnetText = readString(raw, 'subnet', path, errors, true);
  const aggregationText = readString(raw, 'aggregation', path, errors, false);
  let range: AddressRange | undefined;
  if (poolText !== undefined) {
    const parsed = parsePool(poolText);
    if (parsed.ok) range = parsed.value;
    else errors.push(invalid(`${path}.pool`, parsed.error.message));
  }
  let subnet: Cidr | undefined;
  if (subnetText !== undefined) {
    const parsed = parseCidr(subnetText);
    if (parsed.ok) subnet = parsed.value;
    else errors.push(invalid(`${path}.subnet`, parsed.error.message));
  }
  if (range !== undefined && listedAs !== undefined && range.family !== listedAs.family) {
    errors.push(invalid(`${path}.pool`, `pool ${formatRange(range)} is ${range.family} but is listed under ${listedAs.field}`));
  }
  if (range !== undefined && subnet !== undefined) {
    if (subnet.family !== range.family) {
      errors.push(invalid(`${path}.subnet`, `subnet ${formatCidr(subnet)} is ${subnet.family} but the pool is ${range.family}`));
    } else if (!rangeCovers(subnet, range)) {
      errors.push(invalid(`${path}.pool`, `pool ${formatRange(range)} is not inside subnet ${formatCidr(subnet)}`));
    }
  }
  const family = range?.family ?? subnet?.family ?? listedAs?.family ?? 'IPv4';
  let aggregation: Aggregation | undefined;
  const parsedAggregation = parseAggregation(aggregationText, family);
  if (parsedAggregation.ok) aggregation = parsedAggregation.value;
  else if (aggregationText !== undefined) errors.push(invalid(`${path}.aggregation`, parsedAggregation.error.message));
  if (errors.length > before || range === undefined || subnet === undefined || aggregation === undefined) return undefined;
  return { family: range.family, range, subnet, aggregation, path };
}

/**
 * Parses `spec` (v4pools/v6pools, singular v4pool/v6pool, legacy `spec.local.{subnet,pool,aggregation}`)
 * into a normalised group, or every located error found (`InvalidPool`, or `Overlap` inside the group).
 */
export function parseServiceGroupSpec(name: string, spec: unknown): Validated<ServiceGroup> {
  const errors: GroupError[] = [];
  if (!isRecord(spec)) return { ok: false, errors: [invalid('spec', 'must be an object')] };
  const local = spec.local;
  if (!isRecord(local)) {
    const message = local === undefined || local === null ? 'required (no other pool type is supported)' : 'must be an object';
    return { ok: false, errors: [invalid('spec.local', message)] };
  }
  const entries = collectEntries(local, errors);
  if (entries.length === 0 && errors.length === 0) errors.push(invalid('spec.local', 'the group has no pool'));
  const pools: Pool[] = [];
  for (const entry of entries) {
    const pool = parseEntry(entry, errors);
    if (pool !== undefined) pools.push(pool);
  }
  pools.forEach((pool, j) => {
    const earlier = pools.slice(0, j).find((p) => rangesOverlap(p.range, pool.range));
    if (earlier !== undefined) {
      errors.push({
        path: `${pool.path}.pool`,
        code: 'Overlap',
        message: `${describePoolRelation(pool.range, earlier.range)} (${earlier.path}.pool)`,
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { name, v4pools: pools.filter((p) => p.family === 'IPv4'), v6pools: pools.filter((p) => p.family === 'IPv6') },
  };
}

