// Pure planner for one Service: compares what it should show with what it shows and returns the
// writes and Events that close the gap. Converged → [].
import { boundText } from '@purelb/ipam-core';
import type { AllocatedAddress, AllocationErrorCode } from '@purelb/ipam-core';
import { conditionRemoval } from '@purelb/k8s-watch';
import type { JsonObject, JsonValue } from '@purelb/k8s-watch';
import { ALLOCATED_BY, ALLOCATED_CONDITION, ANNOTATIONS, MAX_MESSAGE, POOL_TYPE_LOCAL } from './constants.ts';
import { carriesOurMarks } from './observe-service.ts';
import type { ObservedService } from './observe-service.ts';

/** The closed set of reasons on the `purelb.io/Allocated` condition. */
export type ConditionReason = 'Allocated' | AllocationErrorCode | 'AddressOutsidePool';

/** What the Service should show. */
export type ServiceDesire =
  /** Not ours (any more): remove everything the allocator wrote. `released`: what the allocation state gave up. */
  | { readonly kind: 'release'; readonly released: readonly string[] }
  /** Ours: show these addresses (possibly none) and this condition. */
  | {
      readonly kind: 'hold';
      /** In `status.loadBalancer.ingress` order. */
      readonly addresses: readonly AllocatedAddress[];
      /** The group the addresses came from; undefined when they lie outside every pool. */
      readonly group: string | undefined;
      readonly status: 'True' | 'False';
      readonly reason: ConditionReason;
      readonly message: string;
      /** Set when the deprecated `spec.loadBalancerIP` chose the address (a `DeprecatedField` Event goes with an assignment). */
      readonly deprecatedLoadBalancerIP: string | undefined;
    };

export type ServiceAction =
  | { readonly kind: 'patch-status'; readonly status: JsonObject }
  | {
      readonly kind: 'patch-annotations';
      readonly set: Readonly<Record<string, string>>;
      readonly remove: readonly string[];
    }
  | {
      readonly kind: 'event';
      readonly type: 'Normal' | 'Warning';
      readonly reason: string;
      readonly message: string;
      /** Deduplication slot: allocation outcomes share one so that returning to a state posts again. */
      readonly slot: 'allocation' | 'deprecated';
    };

const OUR_ANNOTATIONS = [ANNOTATIONS.allocatedBy, ANNOTATIONS.allocatedFrom, ANNOTATIONS.poolType] as const;

/** A whole condition or Event message, at most `MAX_MESSAGE` characters. */
const bounded = (message: string): string => boundText(message, { quote: false, max: MAX_MESSAGE });

/** A group name in an Event: written as is when short (the annotation `allocated-from` may hold anything). */
const groupName = (group: string): string => boundText(group, { quote: false });

function ingressIps(observed: ObservedService): string[] {
  return observed.ingress.flatMap((e) => (e.ip === undefined ? [] : [e.ip]));
}

function ingressMatches(observed: ObservedService, addresses: readonly AllocatedAddress[]): boolean {
  return (
    observed.ingress.length === addresses.length &&
    observed.ingress.every((e, i) => e.ip === addresses[i]?.address && e.ipMode === 'VIP' && e.hostname === undefined)
  );
}

function releaseActions(observed: ObservedService, released: readonly string[]): ServiceAction[] {
  if (!carriesOurMarks(observed)) return [];
  const actions: ServiceAction[] = [];
  const status: Record<string, JsonValue> = {};
  const clearIngress = observed.allocatedBy === ALLOCATED_BY && observed.ingress.length > 0;
  const ips = [...new Set([...(clearIngress ? ingressIps(observed) : []), ...released])];
  if (clearIngress) status.loadBalancer = { ingress: null };
  if (observed.condition !== undefined) {
    status.conditions = [conditionRemoval(ALLOCATED_CONDITION)];
  }
  if (Object.keys(status).length > 0) actions.push({ kind: 'patch-status', status });
  const remove = OUR_ANNOTATIONS.filter((a) => annotationValue(observed, a) !== undefined);
  if (remove.length > 0) actions.push({ kind: 'patch-annotations', set: {}, remove });
  if (ips.length > 0) {
    actions.push({
      kind: 'event',
      type: 'Normal',
      reason: 'AddressReleased',
      message: bounded(`Released ${ips.join(', ')}`),
      slot: 'allocation',
    });
  }
  return actions;
}

function annotationValue(observed: ObservedService, name: (typeof OUR_ANNOTATIONS)[number]): string | undefined {
  switch (name) {
    case ANNOTATIONS.allocatedBy:
      return observed.allocatedBy;
    case ANNOTATIONS.allocatedFrom:
      return observed.allocatedFrom;
    case ANNOTATIONS.poolType:
      return observed.poolType;
  }
}

function holdActions(
  observed: ObservedService,
  desire: Extract<ServiceDesire, { kind: 'hold' }>,
  now: string,
): ServiceAction[] {
  const actions: ServiceAction[] = [];
  const message = bounded(desire.message);
  const status: Record<string, JsonValue> = {};

  if (!ingressMatches(observed, desire.addresses)) {
    status.loadBalancer =
      desire.addresses.length > 0
        ? { ingress: desire.addresses.map((a) => ({ ip: a.address, ipMode: 'VIP' })) }
        : { ingress: null };
  }

  const current = observed.condition;
  const conditionChanged =
    current?.status !== desire.status ||
    current.reason !== desire.reason ||
    current.message !== message ||
    current.observedGeneration !== observed.generation;
  if (conditionChanged) {
    const lastTransitionTime =
      current?.status === desire.status && current.lastTransitionTime !== undefined ? current.lastTransitionTime : now;
    const condition: Record<string, JsonValue> = {
      type: ALLOCATED_CONDITION,
      status: desire.status,
      reason: desire.reason,
      message,
      lastTransitionTime,
    };
    if (observed.generation !== undefined) condition.observedGeneration = observed.generation;
    status.conditions = [condition];
  }

  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (desire.addresses.length > 0) {
    if (observed.allocatedBy !== ALLOCATED_BY) set[ANNOTATIONS.allocatedBy] = ALLOCATED_BY;
    if (desire.group !== undefined && observed.allocatedFrom !== desire.group)
      set[ANNOTATIONS.allocatedFrom] = desire.group;
    if (observed.poolType !== POOL_TYPE_LOCAL) set[ANNOTATIONS.poolType] = POOL_TYPE_LOCAL;
  } else {
    for (const a of OUR_ANNOTATIONS) if (annotationValue(observed, a) !== undefined) remove.push(a);
  }
  // Annotations first: whoever sees the ingress also sees which group and pool type it came from.
  if (Object.keys(set).length > 0 || remove.length > 0) actions.push({ kind: 'patch-annotations', set, remove });
  if (Object.keys(status).length > 0) actions.push({ kind: 'patch-status', status });

  const before = ingressIps(observed);
  const after = desire.addresses.map((a) => a.address);
  const released = before.filter((ip) => !after.includes(ip));
  const assigned = after.filter((ip) => !before.includes(ip));
  if (released.length > 0) {
    actions.push({
      kind: 'event',
      type: 'Normal',
      reason: 'AddressReleased',
      message: bounded(`Released ${released.join(', ')}`),
      slot: 'allocation',
    });
  }
  // The same addresses now counted in another group (its group was deleted or shrank and another
  // group's pool holds them): a change of state the operator hears of, like an assignment.
  const regrouped =
    assigned.length === 0 &&
    after.length > 0 &&
    desire.status === 'True' &&
    observed.allocatedFrom !== undefined &&
    desire.group !== undefined &&
    observed.allocatedFrom !== desire.group;
  if (regrouped) {
    const text = `Assigned ${after.join(', ')} from group ${groupName(desire.group)} (was group ${groupName(observed.allocatedFrom)})`;
    actions.push({
      kind: 'event',
      type: 'Normal',
      reason: 'AddressAssigned',
      message: bounded(text),
      slot: 'allocation',
    });
  }
  if (assigned.length > 0) {
    const from = desire.group === undefined ? '' : ` from group ${groupName(desire.group)}`;
    actions.push({
      kind: 'event',
      type: 'Normal',
      reason: 'AddressAssigned',
      message: bounded(`Assigned ${assigned.join(', ')}${from}`),
      slot: 'allocation',
    });
    if (desire.deprecatedLoadBalancerIP !== undefined) {
      actions.push({
        kind: 'event',
        type: 'Normal',
        reason: 'DeprecatedField',
        message: `spec.loadBalancerIP (${boundText(desire.deprecatedLoadBalancerIP, { quote: false })}) is deprecated; use the ${ANNOTATIONS.addresses} annotation`,
        slot: 'deprecated',
      });
    }
  }
  const failureChanged =
    current?.status !== desire.status || current.reason !== desire.reason || current.message !== message;
  if (desire.status === 'False' && failureChanged) {
    actions.push({ kind: 'event', type: 'Warning', reason: desire.reason, message, slot: 'allocation' });
  }
  return actions;
}

/**
 * Plans the writes that make the Service show `desire`. `now` (RFC 3339) stamps a condition whose
 * status changes. Holding: annotations before status; releasing: status before annotations; Events last.
 */
export function planService(observed: ObservedService, desire: ServiceDesire, now: string): ServiceAction[] {
  switch (desire.kind) {
    case 'release':
      return releaseActions(observed, desire.released);
    case 'hold':
      return holdActions(observed, desire, now);
  }
}
