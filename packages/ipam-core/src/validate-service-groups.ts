// Validation of all groups together: each on its own, then overlap or containment between pools of
// different groups, decided by age (creationTimestamp, then name): the older group keeps its pools.
import type { GroupError, GroupErrorReason, ServiceGroup } from './service-group.ts';

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
  | { readonly ok: false; readonly name: string; readonly reason: GroupErrorReason; readonly errors: readonly GroupError[] };

/** Validates every group, alone and against the others; one verdict per input, in input order. */
export function validateServiceGroups(groups: readonly GroupInput[]): readonly GroupCheck[] {
  void groups;
  throw new Error('validateServiceGroups: not implemented yet');
}
