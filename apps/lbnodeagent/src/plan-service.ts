// What this node writes on a Service: its `purelb.io/announcing-IPvX` annotation when it holds a
// local address, the `purelb.io/Announced` condition when it is the Service's writer, and Events.
// Pure: desired vs observed → actions; converged → [].
import { IP_FAMILIES, boundText } from '@purelb/ipam-core';
import type { IpFamily } from '@purelb/ipam-core';
import { conditionRemoval } from '@purelb/k8s-watch';
import type { JsonObject, JsonValue } from '@purelb/k8s-watch';
import { ANNOTATIONS, ANNOUNCED_CONDITION, MAX_MESSAGE } from './constants.ts';
import type { AddressAnnouncement, ServiceAnnouncement } from './decide-node.ts';
import { announcingNode } from './observe-service.ts';
import type { ObservedService } from './observe-service.ts';

/** Reasons of `purelb.io/Announced`. Closed union: it may grow in a minor release. */
export type AnnouncedReason =
  /** True: every address is held (local ones by their elected node, virtual ones on virtual interfaces). */
  | 'Announcing'
  /** False: some local address has no live node on its subnet. */
  | 'NoEligibleNode'
  /** False: `externalTrafficPolicy: Local`, and no live node has a ready endpoint for a virtual address. */
  | 'NoReadyEndpoint'
  /** False: the elected node could not put a local address on its interface. */
  | 'AnnounceFailed';

/** What this node's last attempt to hold an address gave. */
export type AddressOutcome =
  | { readonly kind: 'held'; readonly interface: string }
  | { readonly kind: 'failed'; readonly interface: string; readonly message: string };

export type ServiceAction =
  | {
      readonly kind: 'patch-annotations';
      readonly set: Readonly<Record<string, string>>;
      readonly remove: readonly string[];
    }
  | { readonly kind: 'patch-status'; readonly status: JsonObject }
  | {
      readonly kind: 'event';
      readonly type: 'Normal' | 'Warning';
      readonly reason: string;
      readonly message: string;
      readonly slot: string;
    };

export interface PlanServiceInput {
  readonly node: string;
  readonly observed: ObservedService;
  /** Undefined when the Service is not ours or has no address. */
  readonly announcement: ServiceAnnouncement | undefined;
  /** This node's outcome per address it holds or tried to hold. */
  readonly outcomes: ReadonlyMap<string, AddressOutcome>;
  /** The live node that writes what nobody else can. */
  readonly steward: string | undefined;
  readonly virtualInterface: string;
  /** RFC 3339, stamps a condition whose status changes. */
  readonly now: string;
}

const annotationOf = (family: IpFamily): string =>
  family === 'IPv4' ? ANNOTATIONS.announcingIPv4 : ANNOTATIONS.announcingIPv6;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

interface Part {
  readonly reason: AnnouncedReason;
  readonly text: string;
  readonly virtual: boolean;
}

function describe(a: AddressAnnouncement, input: PlanServiceInput): Part {
  const h = a.holding;
  switch (h.kind) {
    case 'local': {
      const outcome = h.winner === input.node ? input.outcomes.get(a.address) : undefined;
      if (outcome?.kind === 'failed')
        return {
          reason: 'AnnounceFailed',
          text: `${a.address}: ${input.node} cannot add it to ${outcome.interface}: ${outcome.message}`,
          virtual: false,
        };
      const where = outcome === undefined ? h.winner : `${h.winner} (${outcome.interface})`;
      return { reason: 'Announcing', text: `${a.address} on ${where}`, virtual: false };
    }
    case 'virtual': {
      const which = h.endpointsOnly ? ` with a ready endpoint` : '';
      return {
        reason: 'Announcing',
        text: `${a.address} on the virtual interface ${input.virtualInterface} of ${plural(h.holders, 'node', 'nodes')}${which}`,
        virtual: true,
      };
    }
    case 'nowhere':
      switch (h.why) {
        case 'subnet-not-live':
          return {
            reason: 'NoEligibleNode',
            text: `${a.address}: no live node on its subnet (not live: ${h.notLive.join(', ')})`,
            virtual: false,
          };
        case 'no-endpoint':
          return {
            reason: 'NoReadyEndpoint',
            text: `${a.address}: no live node has a ready endpoint (externalTrafficPolicy Local)`,
            virtual: false,
          };
        case 'no-live-node':
          return { reason: 'NoEligibleNode', text: `${a.address}: no node agent is live`, virtual: false };
      }
  }
}

const severity: Readonly<Record<AnnouncedReason, number>> = {
  Announcing: 0,
  NoReadyEndpoint: 1,
  NoEligibleNode: 2,
  AnnounceFailed: 3,
};

/** The condition the writer should show: the worst reason of any address, and every address described. */
export function announcedCondition(
  announcement: ServiceAnnouncement,
  input: PlanServiceInput,
): { status: 'True' | 'False'; reason: AnnouncedReason; message: string; virtual: string[] } {
  const parts = announcement.addresses.map((a) => describe(a, input));
  let reason: AnnouncedReason = 'Announcing';
  for (const p of parts) if (severity[p.reason] > severity[reason]) reason = p.reason;
  return {
    status: reason === 'Announcing' ? 'True' : 'False',
    reason,
    message: boundText(parts.map((p) => p.text).join('; '), { quote: false, max: MAX_MESSAGE }),
    virtual: parts.filter((p) => p.virtual).map((p) => p.text),
  };
}

function annotationActions(input: PlanServiceInput, writer: string | undefined, actions: ServiceAction[]): void {
  const { node, observed, announcement } = input;
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const events: ServiceAction[] = [];
  for (const family of IP_FAMILIES) {
    const key = annotationOf(family);
    const current = observed.announcing[family];
    const holder = announcingNode(current);
    const a = announcement?.addresses.find((x) => x.family === family);
    const winner = a?.holding.kind === 'local' ? a.holding.winner : undefined;
    if (a !== undefined && winner === node) {
      const outcome = input.outcomes.get(a.address);
      if (outcome?.kind === 'held') {
        const want = `${node},${outcome.interface}`;
        if (current !== want) {
          set[key] = want;
          events.push({
            kind: 'event',
            type: 'Normal',
            reason: 'AnnouncingLocal',
            message: `announcing ${a.address} from node ${node} on ${outcome.interface}`,
            slot: `local-${family}`,
          });
        }
      } else if (holder === node) {
        remove.push(key);
      }
    } else if (holder === node) {
      remove.push(key);
    } else if (current !== undefined && winner === undefined && writer === node) {
      // Left by a node that no longer holds it, and no winner will overwrite it.
      remove.push(key);
    }
  }
  if (Object.keys(set).length > 0 || remove.length > 0) actions.push({ kind: 'patch-annotations', set, remove });
  actions.push(...events);
}

function conditionActions(input: PlanServiceInput, actions: ServiceAction[]): void {
  const { observed, announcement } = input;
  const current = observed.condition;
  if (announcement === undefined) {
    if (current !== undefined)
      actions.push({ kind: 'patch-status', status: { conditions: [conditionRemoval(ANNOUNCED_CONDITION)] } });
    return;
  }
  const want = announcedCondition(announcement, input);
  const changed =
    current?.status !== want.status ||
    current.reason !== want.reason ||
    current.message !== want.message ||
    current.observedGeneration !== observed.generation;
  if (!changed) return;
  const lastTransitionTime =
    current?.status === want.status && current.lastTransitionTime !== undefined
      ? current.lastTransitionTime
      : input.now;
  const condition: Record<string, JsonValue> = {
    type: ANNOUNCED_CONDITION,
    status: want.status,
    reason: want.reason,
    message: want.message,
    lastTransitionTime,
  };
  if (observed.generation !== undefined) condition.observedGeneration = observed.generation;
  actions.push({ kind: 'patch-status', status: { conditions: [condition] } });
  if (want.reason === 'NoEligibleNode' && current?.reason !== want.reason) {
    actions.push({
      kind: 'event',
      type: 'Warning',
      reason: 'NoEligibleNode',
      message: want.message,
      slot: 'announced',
    });
  }
  if (want.virtual.length > 0) {
    actions.push({
      kind: 'event',
      type: 'Normal',
      reason: 'AnnouncingVirtual',
      message: `announcing ${want.virtual.join('; ')}`,
      slot: 'virtual',
    });
  }
}

function failureEvents(input: PlanServiceInput, actions: ServiceAction[]): void {
  for (const a of input.announcement?.addresses ?? []) {
    const outcome = a.mine === undefined ? undefined : input.outcomes.get(a.address);
    if (outcome?.kind !== 'failed') continue;
    actions.push({
      kind: 'event',
      type: 'Warning',
      reason: 'AnnounceFailed',
      message: `node ${input.node} cannot add ${a.address} to ${outcome.interface}: ${outcome.message}`,
      slot: `failed-${a.family}-${input.node}`,
    });
  }
}

/**
 * Annotations first (whoever reads the condition also sees who announces), then the condition,
 * then Events. The condition is this node's to write only when it is the Service's writer (the
 * winner of its first local address, else the steward); a Service that is no longer ours loses
 * the condition through the steward.
 */
export function planService(input: PlanServiceInput): ServiceAction[] {
  const writer = input.announcement === undefined ? input.steward : input.announcement.writer;
  const actions: ServiceAction[] = [];
  annotationActions(input, writer, actions);
  if (writer === input.node) conditionActions(input, actions);
  failureEvents(input, actions);
  // Writes before Events.
  return [...actions.filter((a) => a.kind !== 'event'), ...actions.filter((a) => a.kind === 'event')];
}
