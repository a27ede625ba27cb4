// Validation of all groups together: each on its own, then overlap or containment between pools of
// different groups, decided by age (creationTimestamp, then name): the older group keeps its pools.
import { rangesOverlap } from './address-range.ts';
import { parseServiceGroupSpec } from './parse-service-group-spec.ts';
import { describePoolRelation } from './pool-relation.ts';
import type { GroupError, GroupErrorCode, ServiceGroup } from './service-group.ts';

/** One ServiceGroup as read from the cluster. */
export interface GroupInput {
  readonly name: string;
  /** Sortable creation time: the RFC 3339 creationTimestamp string or epoch milliseconds. */
  readonly createdAt: string | number;
  /** The resource's `spec`, unchecked. */
  readonly spec: unknown;
}

/** The verdict on one group. */
export type GroupCheck =
  | { readonly ok: true; readonly name: string; readonly value: ServiceGroup }
  | {
      readonly ok: false;
      readonly name: string;
      readonly code: GroupErrorCode;
      readonly errors: readonly GroupError[];
    };

function compareAge(a: GroupInput, b: GroupInput): number {
  const x = a.createdAt;
  const y = b.createdAt;
  if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
  if (x < y) return -1;
  if (x > y) return 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function failed(name: string, errors: readonly GroupError[]): GroupCheck {
  const code = errors.some((e) => e.code === 'InvalidPool') ? 'InvalidPool' : 'Overlap';
  return { ok: false, name, code, errors };
}

/**
 * Validates every group, alone and against the others; one verdict per input, in input order.
 * Groups invalid on their own claim no addresses. Among the rest, oldest first (createdAt, then
 * name), a group whose pools overlap or contain a pool of an already accepted group is invalid
 * (`Overlap`), with one error per such pool naming the other group.
 */
export function validateServiceGroups(groups: readonly GroupInput[]): readonly GroupCheck[] {
  const verdicts = new Map<GroupInput, GroupCheck>();
  const candidates: { input: GroupInput; group: ServiceGroup }[] = [];
  for (const input of groups) {
    const parsed = parseServiceGroupSpec(input.name, input.spec);
    if (parsed.ok) candidates.push({ input, group: parsed.value });
    else verdicts.set(input, failed(input.name, parsed.errors));
  }
  candidates.sort((a, b) => compareAge(a.input, b.input));
  const accepted: ServiceGroup[] = [];
  for (const { input, group } of candidates) {
    const errors: GroupError[] = [];
    for (const pool of [...group.v4pools, ...group.v6pools]) {
      for (const other of accepted) {
        const hit = [...other.v4pools, ...other.v6pools].find((p) => rangesOverlap(p.range, pool.range));
        if (hit === undefined) continue;
        errors.push({
          path: `${pool.path}.pool`,
          code: 'Overlap',
          message: `${describePoolRelation(pool.range, hit.range)} of group "${other.name}" (${hit.path}.pool)`,
          otherGroup: other.name,
        });
        break;
      }
    }
    if (errors.length > 0) {
      verdicts.set(input, failed(input.name, errors));
    } else {
      accepted.push(group);
      verdicts.set(input, { ok: true, name: input.name, value: group });
    }
  }
  return groups.map((g) => {
    const verdict = verdicts.get(g);
    if (verdict === undefined) throw new Error(`validateServiceGroups: no verdict for group ${g.name}`);
    return verdict;
  });
}
