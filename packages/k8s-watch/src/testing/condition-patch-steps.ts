// One sequence of Service status patches and the conditions after each, run against the real API
// server and against the fake: the fake's merge of conditions by type is checked against reality.
import type { JsonObject } from '../api-result.ts';
import { conditionRemoval } from '../cluster-writer.ts';

const condition = (type: string, status: 'True' | 'False', reason: string): JsonObject => ({
  type,
  status,
  reason,
  message: `${type} is ${status}`,
  lastTransitionTime: '2026-12-01T00:00:00Z',
});

const ALLOCATED = condition('purelb.io/Allocated', 'True', 'Allocated');
const ANNOUNCED = condition('purelb.io/Announced', 'True', 'Announcing');
const NOT_ANNOUNCED = condition('purelb.io/Announced', 'False', 'NoEligibleNode');

export interface ConditionPatchStep {
  readonly what: string;
  readonly status: JsonObject;
  /** `status.conditions` after the patch, by type (the server's order is its own); none is []. */
  readonly conditions: readonly JsonObject[];
}

export const CONDITION_PATCH_STEPS: readonly ConditionPatchStep[] = [
  { what: 'a first writer adds its condition', status: { conditions: [ALLOCATED] }, conditions: [ALLOCATED] },
  {
    what: 'a second writer adds its own; the first one stays',
    status: { conditions: [ANNOUNCED] },
    conditions: [ALLOCATED, ANNOUNCED],
  },
  {
    what: 'the second rewrites its own in place, with another field beside it',
    status: { conditions: [NOT_ANNOUNCED], loadBalancer: { ingress: [{ ip: '192.0.2.20', ipMode: 'VIP' }] } },
    conditions: [ALLOCATED, NOT_ANNOUNCED],
  },
  {
    what: 'the first removes its own',
    status: { conditions: [conditionRemoval('purelb.io/Allocated')] },
    conditions: [NOT_ANNOUNCED],
  },
  {
    what: 'removing an absent condition changes nothing',
    status: { conditions: [conditionRemoval('purelb.io/Allocated')] },
    conditions: [NOT_ANNOUNCED],
  },
  {
    what: 'the last one removed leaves none',
    status: { conditions: [conditionRemoval('purelb.io/Announced')] },
    conditions: [],
  },
];

/** Conditions by type, as the steps list them. */
export function byType(conditions: readonly unknown[]): unknown[] {
  const typeOf = (c: unknown): string => String((c as { type?: unknown }).type);
  return [...conditions].sort((a, b) => (typeOf(a) < typeOf(b) ? -1 : typeOf(a) > typeOf(b) ? 1 : 0));
}
