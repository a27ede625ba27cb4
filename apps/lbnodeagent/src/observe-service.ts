// What a Service currently shows of the node agents' writes, in the planner's terms.
import type { IpFamily } from '@purelb/ipam-core';
import { ANNOTATIONS, ANNOUNCED_CONDITION } from './constants.ts';
import type { ServiceObject } from './kube-objects.ts';

export interface ObservedCondition {
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string | undefined;
  readonly observedGeneration: number | undefined;
}

export interface ObservedService {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
  readonly generation: number | undefined;
  /** `purelb.io/announcing-IPv4` / `-IPv6` as written (`node,interface`). */
  readonly announcing: Readonly<Record<IpFamily, string | undefined>>;
  /** `purelb.io/Announced`, if present. */
  readonly condition: ObservedCondition | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function observeService(service: ServiceObject): ObservedService {
  const annotations = service.metadata?.annotations ?? {};
  let condition: ObservedCondition | undefined;
  const raw: unknown = service.status?.conditions;
  for (const c of Array.isArray(raw) ? (raw as unknown[]) : []) {
    if (typeof c !== 'object' || c === null) continue;
    const rec = c as Record<string, unknown>;
    if (rec.type === ANNOUNCED_CONDITION) {
      condition = {
        status: str(rec.status) ?? '',
        reason: str(rec.reason) ?? '',
        message: str(rec.message) ?? '',
        lastTransitionTime: str(rec.lastTransitionTime),
        observedGeneration: num(rec.observedGeneration),
      };
    }
  }
  return {
    namespace: service.metadata?.namespace ?? '',
    name: service.metadata?.name ?? '',
    uid: service.metadata?.uid,
    generation: num(service.metadata?.generation),
    announcing: { IPv4: annotations[ANNOTATIONS.announcingIPv4], IPv6: annotations[ANNOTATIONS.announcingIPv6] },
    condition,
  };
}

/** The node named by an `announcing` annotation value (`node,interface`). */
export function announcingNode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const node = value.split(',')[0]?.trim();
  return node === undefined || node === '' ? undefined : node;
}

/** RFC 3339 with whole seconds, as Kubernetes writes metav1.Time. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
