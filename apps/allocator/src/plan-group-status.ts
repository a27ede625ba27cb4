// Pure planner for one ServiceGroup's status: Ready condition (see group-readiness.ts), per-family
// counts as exact decimal strings and in human form (`usage`), the pools for display,
// observedGeneration. Converged → [].
import { boundText, formatRangeCompact, formatUsage } from '@purelb/ipam-core';
import type { GroupCheck, GroupStats } from '@purelb/ipam-core';
import type { JsonObject, JsonValue } from '@purelb/k8s-watch';
import { READY_CONDITION } from './constants.ts';
import { groupReadiness } from './group-readiness.ts';
import type { FamilyStatusObject, ServiceGroupObject } from './kube-objects.ts';
import { timeText } from './observe-service.ts';

export interface GroupStatusInput {
  readonly generation: number | undefined;
  readonly check: GroupCheck;
  /** Exact counts of a valid group (undefined for an invalid one). */
  readonly stats: GroupStats | undefined;
  /** Addresses still held under the group's name, per family (what an invalid group shows as allocated). */
  readonly held: { readonly IPv4: bigint; readonly IPv6: bigint };
  readonly observed: ServiceGroupObject['status'];
}

export type GroupAction =
  | { readonly kind: 'patch-status'; readonly status: JsonObject }
  | { readonly kind: 'event'; readonly type: 'Warning'; readonly reason: string; readonly message: string };

interface FamilyCounts {
  readonly capacity: string;
  readonly allocated: string;
  readonly available: string;
}

const MAX_MESSAGE = 4000;

function readyCondition(observed: ServiceGroupObject['status']): Record<string, unknown> | undefined {
  const list: unknown = observed?.conditions;
  if (!Array.isArray(list)) return undefined;
  return (list as unknown[]).find(
    (c): c is Record<string, unknown> =>
      typeof c === 'object' && c !== null && (c as Record<string, unknown>).type === READY_CONDITION,
  );
}

function otherConditions(observed: ServiceGroupObject['status']): JsonValue[] {
  const list: unknown = observed?.conditions;
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).filter(
    (c) => typeof c === 'object' && c !== null && (c as Record<string, unknown>).type !== READY_CONDITION,
  ) as JsonValue[];
}

const sameCounts = (a: FamilyCounts, b: FamilyStatusObject | undefined): boolean =>
  b?.capacity === a.capacity && b.allocated === a.allocated && b.available === a.available;

export function planGroupStatus(input: GroupStatusInput, now: string): GroupAction[] {
  const { check, stats, observed } = input;
  const zero = 0n;
  const counts = (family: 'IPv4' | 'IPv6'): FamilyCounts => {
    const s = stats?.[family];
    if (s !== undefined) {
      const available = s.available < zero ? zero : s.available;
      return { capacity: s.capacity.toString(), allocated: s.allocated.toString(), available: available.toString() };
    }
    return { capacity: '0', allocated: input.held[family].toString(), available: '0' };
  };
  const v4 = counts('IPv4');
  const v6 = counts('IPv6');
  const pools = check.ok
    ? [...check.value.v4pools, ...check.value.v6pools].map((p) => formatRangeCompact(p.range)).join(', ')
    : '';
  const usageOf = (family: 'IPv4' | 'IPv6'): string => {
    const s = stats?.[family];
    const has = check.ok && (family === 'IPv4' ? check.value.v4pools : check.value.v6pools).length > 0;
    return has && s !== undefined ? formatUsage(s.allocated, s.capacity) : '-';
  };
  const usage = { v4: usageOf('IPv4'), v6: usageOf('IPv6') };

  const readiness = groupReadiness(check, stats);
  const { status, reason } = readiness;
  const message = boundText(readiness.message, { quote: false, max: MAX_MESSAGE });

  const current = readyCondition(observed);
  const conditionSame =
    current !== undefined &&
    current.status === status &&
    current.reason === reason &&
    current.message === message &&
    current.observedGeneration === input.generation;

  const same =
    conditionSame &&
    sameCounts(v4, observed?.v4) &&
    sameCounts(v6, observed?.v6) &&
    (observed?.pools ?? '') === pools &&
    observed?.usage?.v4 === usage.v4 &&
    observed.usage.v6 === usage.v6 &&
    observed.observedGeneration === input.generation;

  const actions: GroupAction[] = [];
  if (!same) {
    const lastTransitionTime =
      current !== undefined && current.status === status ? (timeText(current.lastTransitionTime) ?? now) : now;
    const condition: Record<string, JsonValue> = { type: READY_CONDITION, status, reason, message, lastTransitionTime };
    if (input.generation !== undefined) condition.observedGeneration = input.generation;
    const patch: Record<string, JsonValue> = {
      pools: pools === '' ? null : pools,
      v4: { ...v4 },
      v6: { ...v6 },
      usage,
      conditions: [...otherConditions(observed), condition],
    };
    if (input.generation !== undefined) patch.observedGeneration = input.generation;
    actions.push({ kind: 'patch-status', status: patch });
  }
  const failureChanged = current?.status !== status || current.reason !== reason || current.message !== message;
  if (status === 'False' && failureChanged) actions.push({ kind: 'event', type: 'Warning', reason, message });
  return actions;
}
