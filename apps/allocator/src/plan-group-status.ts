// Pure planner for one ServiceGroup's status: Ready condition, per-family counts as exact decimal
// strings, the pools for display, observedGeneration. Converged → [].
import { boundText, formatGroupErrors, formatRange } from '@purelb/ipam-core';
import type { GroupCheck, GroupStats } from '@purelb/ipam-core';
import type { JsonObject, JsonValue } from '@purelb/k8s-watch';
import { READY_CONDITION } from './constants.ts';
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
    (c): c is Record<string, unknown> => typeof c === 'object' && c !== null && (c as Record<string, unknown>).type === READY_CONDITION,
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
  const pools = check.ok ? [...check.value.v4pools, ...check.value.v6pools].map((p) => formatRange(p.range)).join(', ') : '';

  const status = check.ok ? 'True' : 'False';
  const reason = check.ok ? 'Valid' : check.code;
  const rawMessage = check.ok
    ? `${check.value.v4pools.length + check.value.v6pools.length} pool(s) in use`
    : formatGroupErrors(check.errors);
  const message = boundText(rawMessage, { quote: false, max: MAX_MESSAGE });

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
    observed?.observedGeneration === input.generation;

  const actions: GroupAction[] = [];
  if (!same) {
    const lastTransitionTime = current !== undefined && current.status === status ? (timeText(current.lastTransitionTime) ?? now) : now;
    const condition: Record<string, JsonValue> = { type: READY_CONDITION, status, reason, message, lastTransitionTime };
    if (input.generation !== undefined) condition.observedGeneration = input.generation;
    const patch: Record<string, JsonValue> = {
      pools: pools === '' ? null : pools,
      v4: { ...v4 },
      v6: { ...v6 },
      conditions: [...otherConditions(observed), condition],
    };
    if (input.generation !== undefined) patch.observedGeneration = input.generation;
    actions.push({ kind: 'patch-status', status: patch });
  }
  const failureChanged = current?.status !== status || current.reason !== reason || current.message !== message;
  if (!check.ok && failureChanged) actions.push({ kind: 'event', type: 'Warning', reason: check.code, message });
  return actions;
}
