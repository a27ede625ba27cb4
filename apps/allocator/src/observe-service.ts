// What the cluster currently shows for a Service, in the planner's terms.
import type { ServiceObject } from './kube-objects.ts';
import { ALLOCATED_BY, ALLOCATED_CONDITION, ANNOTATIONS } from './constants.ts';

export interface ObservedCondition {
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string | undefined;
  readonly observedGeneration: number | undefined;
}

export interface IngressEntry {
  readonly ip: string | undefined;
  readonly ipMode: string | undefined;
  readonly hostname: string | undefined;
}

export interface ObservedService {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
  readonly generation: number | undefined;
  readonly ingress: readonly IngressEntry[];
  /** Our three annotations as they are now (absent ones undefined). */
  readonly allocatedBy: string | undefined;
  readonly allocatedFrom: string | undefined;
  readonly poolType: string | undefined;
  /** `purelb.io/Allocated`, if present. */
  readonly condition: ObservedCondition | undefined;
}

/** Whether the Service carries anything the allocator wrote. */
export function carriesOurMarks(observed: ObservedService): boolean {
  return (
    observed.allocatedBy === ALLOCATED_BY ||
    observed.allocatedFrom !== undefined ||
    observed.poolType !== undefined ||
    observed.condition !== undefined
  );
}

/** metav1.Time as text, whether the object came as raw JSON (string) or deserialised (Date). */
export function timeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return formatTime(value.getTime());
  return undefined;
}

/** RFC 3339 with whole seconds, as Kubernetes writes metav1.Time. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function observeService(service: ServiceObject): ObservedService {
  const annotations = service.metadata?.annotations ?? {};
  let condition: ObservedCondition | undefined;
  const rawConditions: unknown = service.status?.conditions;
  for (const c of Array.isArray(rawConditions) ? (rawConditions as unknown[]) : []) {
    if (typeof c !== 'object' || c === null) continue;
    const rec = c as Record<string, unknown>;
    if (rec.type === ALLOCATED_CONDITION) {
      condition = {
        status: str(rec.status) ?? '',
        reason: str(rec.reason) ?? '',
        message: str(rec.message) ?? '',
        lastTransitionTime: timeText(rec.lastTransitionTime),
        observedGeneration: num(rec.observedGeneration),
      };
    }
  }
  const rawIngress: unknown = service.status?.loadBalancer?.ingress;
  const ingress: IngressEntry[] = [];
  for (const e of Array.isArray(rawIngress) ? (rawIngress as unknown[]) : []) {
    if (typeof e !== 'object' || e === null) continue;
    const rec = e as Record<string, unknown>;
    ingress.push({ ip: str(rec.ip), ipMode: str(rec.ipMode), hostname: str(rec.hostname) });
  }
  return {
    namespace: service.metadata?.namespace ?? '',
    name: service.metadata?.name ?? '',
    uid: service.metadata?.uid,
    generation: num(service.metadata?.generation),
    ingress,
    allocatedBy: annotations[ANNOTATIONS.allocatedBy],
    allocatedFrom: annotations[ANNOTATIONS.allocatedFrom],
    poolType: annotations[ANNOTATIONS.poolType],
    condition,
  };
}
