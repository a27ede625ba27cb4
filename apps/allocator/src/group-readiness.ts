// What a ServiceGroup's Ready condition says, from its validation and its exact counts: one pure
// decision shared by the status planner and the metrics, so that both always agree.
import { formatGroupErrors } from '@purelb/ipam-core';
import type { GroupCheck, GroupErrorCode, GroupStats, IpFamily } from '@purelb/ipam-core';

/** Reasons of the `Ready` condition of a ServiceGroup. Closed union: it may grow in a minor release. */
export type GroupReadyReason = 'Valid' | 'PoolExhausted' | GroupErrorCode;

export interface GroupReadiness {
  readonly status: 'True' | 'False';
  readonly reason: GroupReadyReason;
  /** Unbounded; the planner bounds it. */
  readonly message: string;
  /** The families the group has pools for and no free address left in. */
  readonly exhausted: readonly IpFamily[];
}

/**
 * `True`/`Valid` when the group is usable and every family it has pools for has a free address;
 * `False` with the validation code when it is invalid; `False`/`PoolExhausted` when a family it has
 * pools for is full (the group stays in use: its Services keep their addresses, freed ones are given
 * out again at once).
 */
export function groupReadiness(check: GroupCheck, stats: GroupStats | undefined): GroupReadiness {
  if (!check.ok)
    return { status: 'False', reason: check.code, message: formatGroupErrors(check.errors), exhausted: [] };
  const pools = check.value.v4pools.length + check.value.v6pools.length;
  const inUse = `${pools} pool(s) in use`;
  const full = (['IPv4', 'IPv6'] as const).filter((family) => {
    const has = (family === 'IPv4' ? check.value.v4pools : check.value.v6pools).length > 0;
    const s = stats?.[family];
    return has && s !== undefined && s.available <= 0n;
  });
  if (full.length === 0) return { status: 'True', reason: 'Valid', message: inUse, exhausted: [] };
  const detail = full.map(
    (f) => `${f} ${stats?.[f].allocated.toString() ?? '0'} of ${stats?.[f].capacity.toString() ?? '0'}`,
  );
  return {
    status: 'False',
    reason: 'PoolExhausted',
    message: `no free ${full.join(' or ')} address left (${detail.join(', ')} in use); ${inUse}`,
    exhausted: full,
  };
}
