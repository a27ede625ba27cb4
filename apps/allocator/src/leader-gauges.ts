// Gauges of what the leader knows now, recomputed from its state on every scrape or group pass (never
// counted from transitions): Services whose `purelb.io/Allocated` condition is False, per reason;
// groups ready or invalid; addresses in use and capacity per pool. A replica that does not lead
// exports none of them (the leader's are the truth; a standby's would be stale or double counted).
import { formatRangeCompact } from '@purelb/ipam-core';
import type { GroupCheck, Ipam } from '@purelb/ipam-core';
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { groupReadiness } from './group-readiness.ts';
import type { ConditionReason } from './plan-service.ts';

/** Reasons a Service can be pending with (every condition reason but `Allocated`). */
export type PendingReason = Exclude<ConditionReason, 'Allocated'>;

/** Every pending reason, so that the leader exports a zero for each one that is not seen. */
export const PENDING_REASONS = [
  'GroupNotFound',
  'GroupInvalid',
  'PoolExhausted',
  'AddressNotInPool',
  'AddressInUse',
  'PortConflict',
  'FamilyUnavailable',
  'InvalidAnnotation',
  'AddressOutsidePool',
] as const satisfies readonly PendingReason[];

/** A reason added to ConditionReason must be listed above: this fails to compile otherwise. */
export const LISTS_EVERY_PENDING_REASON: Exclude<PendingReason, (typeof PENDING_REASONS)[number]> extends never
  ? true
  : never = true;

/** One group as the leader sees it now. */
export interface GroupGaugeInput {
  readonly group: string;
  /** The Ready condition (see group-readiness.ts). */
  readonly ready: boolean;
  /** Set for an invalid group: `InvalidPool` or `Overlap`. */
  readonly invalidReason: string | undefined;
  /** Each pool as written (compact text), exact counts as decimal strings. */
  readonly pools: readonly {
    readonly family: 'IPv4' | 'IPv6';
    readonly pool: string;
    readonly capacity: string;
    readonly allocated: string;
  }[];
}

/** What the group and pool gauges show for these groups, from the allocation state. */
export function groupGaugeInputs(
  checks: Iterable<GroupCheck>,
  ipam: Pick<Ipam, 'groupStats' | 'poolStats'>,
): GroupGaugeInput[] {
  return [...checks].map((c) => ({
    group: c.name,
    ready: groupReadiness(c, ipam.groupStats(c.name)).status === 'True',
    invalidReason: c.ok ? undefined : c.code,
    pools: (ipam.poolStats(c.name) ?? []).map((p) => ({
      family: p.family,
      pool: formatRangeCompact(p.pool.range),
      capacity: p.capacity.toString(),
      allocated: p.allocated.toString(),
    })),
  }));
}

export interface LeaderGauges {
  /** Replaces the group and per-pool gauges (groups that vanished disappear). */
  setGroups(groups: readonly GroupGaugeInput[]): void;
  /** Where the pending gauge reads its counts from at each scrape; undefined: this replica does not lead. */
  setPendingSource(source: (() => ReadonlyMap<PendingReason, number>) | undefined): void;
  /** Leadership ended: export none of these any more. */
  clear(): void;
}

export function registerLeaderGauges(registry: Registry): LeaderGauges {
  let source: (() => ReadonlyMap<PendingReason, number>) | undefined;
  new Gauge({
    name: 'purelb_allocator_services_pending',
    help: 'Services whose purelb.io/Allocated condition is False now, per reason (exported by the leader only)',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (source === undefined) return;
      const counts = source();
      for (const reason of PENDING_REASONS) this.set({ reason }, counts.get(reason) ?? 0);
    },
  });
  const ready = new Gauge({
    name: 'purelb_allocator_group_ready',
    help: 'ServiceGroups: 1 while the Ready condition is True, 0 while it is False (invalid or a family full)',
    labelNames: ['group'] as const,
    registers: [registry],
  });
  const invalid = new Gauge({
    name: 'purelb_allocator_group_invalid',
    help: 'ServiceGroups the allocator cannot use: 1 per invalid group, with the reason (InvalidPool, Overlap)',
    labelNames: ['group', 'reason'] as const,
    registers: [registry],
  });
  const capacity = new Gauge({
    name: 'purelb_allocator_pool_addresses_capacity',
    help: 'Addresses one pool of a valid ServiceGroup hands out (kept-back addresses excluded)',
    labelNames: ['group', 'family', 'pool'] as const,
    registers: [registry],
  });
  const inUse = new Gauge({
    name: 'purelb_allocator_pool_addresses_in_use',
    help: 'Addresses of one pool of a valid ServiceGroup given to Services',
    labelNames: ['group', 'family', 'pool'] as const,
    registers: [registry],
  });
  const clearGroups = (): void => {
    ready.reset();
    invalid.reset();
    capacity.reset();
    inUse.reset();
  };
  return {
    setGroups(groups) {
      clearGroups();
      for (const g of groups) {
        ready.set({ group: g.group }, g.ready ? 1 : 0);
        if (g.invalidReason !== undefined) invalid.set({ group: g.group, reason: g.invalidReason }, 1);
        for (const p of g.pools) {
          const labels = { group: g.group, family: p.family, pool: p.pool };
          capacity.set(labels, Number(p.capacity));
          inUse.set(labels, Number(p.allocated));
        }
      }
    },
    setPendingSource(next) {
      source = next;
    },
    clear() {
      source = undefined;
      clearGroups();
    },
  };
}
