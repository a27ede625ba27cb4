// `kubectl purelb pools`: usage per group and pool, computed with ipam-core from the ServiceGroups
// and what the Services show (the same state a new allocator leader rebuilds), with exact counts
// and human ones.
import { formatCount, formatGroupErrors, formatRangeCompact } from '@purelb/ipam-core';
import type { IpFamily } from '@purelb/ipam-core';
import { rebuildAllocationState } from './allocation-state.ts';
import type { ServiceGroupObject } from './kube-objects.ts';
import { READY_CONDITION } from './names.ts';
import type { ServiceView } from './service-view.ts';

export interface PoolRow {
  readonly family: IpFamily;
  /** The pool as written, compact (`192.0.2.0/24`, `2001:db8::/64`, `192.0.2.10-192.0.2.20`). */
  readonly pool: string;
  /** What the pool keeps back, e.g. `avoidBuggyIPs, exclude 2`; empty when nothing. */
  readonly keptBack: string;
  /** Exact decimal counts. */
  readonly capacity: string;
  readonly inUse: string;
  readonly available: string;
}

export interface GroupUsage {
  readonly group: string;
  /** What the allocator wrote on the group's Ready condition (`-` when it wrote nothing yet). */
  readonly ready: string;
  readonly reason: string;
  /** Why the group is invalid, as ipam-core says it (undefined for a valid group). */
  readonly problem: string | undefined;
  readonly pools: readonly PoolRow[];
}

function readyOf(group: ServiceGroupObject): { ready: string; reason: string } {
  const c = (group.status?.conditions ?? []).find((x) => x.type === READY_CONDITION);
  return { ready: c?.status ?? '-', reason: c?.reason ?? '-' };
}

/** Every group of the install namespace, by name, with each pool's counts. */
export function poolUsage(groups: readonly ServiceGroupObject[], services: readonly ServiceView[]): GroupUsage[] {
  const state = rebuildAllocationState(groups, services);
  return groups
    .flatMap((g) => (g.metadata?.name === undefined ? [] : [{ name: g.metadata.name, object: g }]))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, object }) => {
      const check = state.checks.get(name);
      const stats = state.ipam.poolStats(name) ?? [];
      return {
        group: name,
        ...readyOf(object),
        problem: check === undefined || check.ok ? undefined : `${check.code}: ${formatGroupErrors(check.errors)}`,
        pools: stats.map((s) => {
          const kept = [
            s.pool.avoidBuggyIPs ? 'avoidBuggyIPs' : '',
            s.pool.exclude.length > 0 ? `exclude ${s.pool.exclude.length}` : '',
          ]
            .filter((k) => k !== '')
            .join(', ');
          return {
            family: s.family,
            pool: formatRangeCompact(s.pool.range),
            keptBack: kept,
            capacity: s.capacity.toString(),
            inUse: s.allocated.toString(),
            available: (s.available < 0n ? 0n : s.available).toString(),
          };
        }),
      };
    });
}

/** `3.1%`, `<0.1%`, `100%`: how full a pool is. */
export function percentUsed(inUse: string, capacity: string): string {
  const used = BigInt(inUse);
  const cap = BigInt(capacity);
  if (cap === 0n) return '-';
  const tenths = (used * 1000n) / cap;
  if (tenths === 0n && used > 0n) return '<0.1%';
  if (tenths >= 1000n) return '100%';
  return `${(tenths / 10n).toString()}.${(tenths % 10n).toString()}%`;
}

/** The rows of the pools table: one per pool, human counts (exact with `exact`). */
export function poolTableRows(usage: readonly GroupUsage[], options: { readonly exact: boolean }): string[][] {
  const count = (n: string): string => (options.exact ? n : formatCount(BigInt(n)));
  return usage.flatMap((g) => {
    if (g.pools.length === 0) return [[g.group, g.ready, g.reason, '-', '-', '-', '-', '-', '-', '']];
    return g.pools.map((p) => [
      g.group,
      g.ready,
      g.reason,
      p.family,
      p.pool,
      count(p.inUse),
      count(p.capacity),
      count(p.available),
      percentUsed(p.inUse, p.capacity),
      p.keptBack,
    ]);
  });
}

export const POOL_TABLE_HEADER = [
  'GROUP',
  'READY',
  'REASON',
  'FAMILY',
  'POOL',
  'IN USE',
  'CAPACITY',
  'FREE',
  'USED',
  'KEPT BACK',
] as const;
