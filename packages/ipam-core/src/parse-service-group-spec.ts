// parse → normalise → validate one ServiceGroup spec on its own. Whatever the CRD's schema and CEL
// rules reject is rejected here too, at the same field and with the same meaning (the conformance
// table of tools/crd-conformance holds both to it on a real API server); what needs the whole group —
// a pool outside its subnet, pools that overlap — only here.
import { rangesOverlap } from './address-range.ts';
import { invalid, isRecord, parsePoolEntry } from './parse-pool-entry.ts';
import type { PoolEntry } from './parse-pool-entry.ts';
import { readAvoidBuggyIPs } from './pool-options.ts';
import { describePoolRelation } from './pool-relation.ts';
import type { GroupError, Pool, ServiceGroup, Validated } from './service-group.ts';

/** The CRD's `maxItems` of a pool list. */
const MAX_POOLS = 64;

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** The forms a group may not mix, as the CRD's rules on `spec.local` forbid them. */
function checkForms(local: Record<string, unknown>, errors: GroupError[]): void {
  const forbidden = (path: string, message: string): void => {
    errors.push(invalid(path, message));
  };
  for (const prefix of ['v4', 'v6'] as const) {
    if (present(local[`${prefix}pool`]) && present(local[`${prefix}pools`])) {
      forbidden('spec.local', `set either ${prefix}pool or ${prefix}pools, not both`);
    }
  }
  const legacy = present(local.pool) || present(local.subnet);
  if (legacy && ['v4pool', 'v4pools', 'v6pool', 'v6pools'].some((f) => present(local[f]))) {
    forbidden(
      'spec.local',
      'the single-pool form (pool, subnet) cannot be combined with v4pool, v4pools, v6pool or v6pools',
    );
  }
  for (const field of ['aggregation', 'exclude'] as const) {
    if (present(local[field]) && !present(local.pool)) {
      forbidden(
        `spec.local.${field}`,
        `${field} at this level belongs to the single-pool form and needs pool and subnet`,
      );
    }
  }
}

/** Paths of the errors that leave "the group has no pool" to be said too (as the CRD's rules do). */
const LEGACY_ONLY = new Set(['spec.local.aggregation', 'spec.local.exclude']);

function collectEntries(local: Record<string, unknown>, errors: GroupError[]): PoolEntry[] {
  const entries: PoolEntry[] = [];
  const groupAvoidBuggyIPs = readAvoidBuggyIPs(local, 'spec.local', errors) ?? false;
  if (present(local.pool) || present(local.subnet))
    entries.push({ path: 'spec.local', raw: local, groupAvoidBuggyIPs });
  for (const family of ['IPv4', 'IPv6'] as const) {
    const prefix = family === 'IPv4' ? 'v4' : 'v6';
    const single = local[`${prefix}pool`];
    if (present(single))
      entries.push({
        path: `spec.local.${prefix}pool`,
        listedAs: { family, field: `${prefix}pool` },
        raw: single,
        groupAvoidBuggyIPs,
      });
    const list = local[`${prefix}pools`];
    if (!present(list)) continue;
    if (!Array.isArray(list)) {
      errors.push(invalid(`spec.local.${prefix}pools`, 'must be a list'));
      continue;
    }
    if (list.length > MAX_POOLS) {
      errors.push(invalid(`spec.local.${prefix}pools`, `must have at most ${MAX_POOLS} pools`));
      continue;
    }
    list.forEach((raw: unknown, i) => {
      entries.push({
        path: `spec.local.${prefix}pools[${i}]`,
        listedAs: { family, field: `${prefix}pools` },
        raw,
        groupAvoidBuggyIPs,
      });
    });
  }
  return entries;
}

/**
 * Parses `spec` (v4pools/v6pools, singular v4pool/v6pool, legacy `spec.local.{subnet,pool,aggregation}`)
 * into a normalised group, or every located error found (`InvalidPool`, or `Overlap` inside the group).
 */
export function parseServiceGroupSpec(name: string, spec: unknown): Validated<ServiceGroup> {
  if (!present(spec)) return { ok: false, errors: [invalid('spec', 'required')] };
  if (!isRecord(spec)) return { ok: false, errors: [invalid('spec', 'must be an object')] };
  const local = spec.local;
  if (!isRecord(local)) {
    const message = present(local) ? 'must be an object' : 'required (no other pool type is supported)';
    return { ok: false, errors: [invalid('spec.local', message)] };
  }
  const errors: GroupError[] = [];
  checkForms(local, errors);
  const entries = collectEntries(local, errors);
  if (entries.length === 0 && errors.every((e) => LEGACY_ONLY.has(e.path)))
    errors.push(invalid('spec.local', 'the group has no pool'));
  const pools: Pool[] = [];
  for (const entry of entries) {
    const pool = parsePoolEntry(entry, errors);
    if (pool !== undefined) pools.push(pool);
  }
  pools.forEach((pool, j) => {
    const earlier = pools.slice(0, j).find((p) => rangesOverlap(p.range, pool.range));
    if (earlier !== undefined) {
      errors.push({
        code: 'Overlap',
        message: `${describePoolRelation(pool.range, earlier.range)} (${earlier.path}.pool)`,
        path: `${pool.path}.pool`,
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      v4pools: pools.filter((p) => p.family === 'IPv4'),
      v6pools: pools.filter((p) => p.family === 'IPv6'),
    },
  };
}
