// The allocation state rebuilt from what the cluster shows, as a new allocator leader rebuilds it:
// the groups validated together, then every Service's addresses imported, oldest first.
import { createIpam, validateServiceGroups } from '@purelb/ipam-core';
import type { GroupCheck, GroupInput, ImportIssue, Ipam } from '@purelb/ipam-core';
import type { ServiceGroupObject } from './kube-objects.ts';
import { byAge, existingAllocation } from './service-view.ts';
import type { ServiceView } from './service-view.ts';

export interface AllocationState {
  readonly ipam: Ipam;
  /** One verdict per group, by name. */
  readonly checks: ReadonlyMap<string, GroupCheck>;
  /** What the import found wrong (collisions, addresses outside every pool). */
  readonly issues: readonly ImportIssue[];
}

export function groupInputs(groups: readonly ServiceGroupObject[]): GroupInput[] {
  return groups.flatMap((g) =>
    g.metadata?.name === undefined
      ? []
      : [{ name: g.metadata.name, createdAt: g.metadata.creationTimestamp ?? '', spec: g.spec }],
  );
}

/** Rebuilds the state from the groups and what the Services show. */
export function rebuildAllocationState(
  groups: readonly ServiceGroupObject[],
  services: readonly ServiceView[],
): AllocationState {
  const checks = validateServiceGroups(groupInputs(groups));
  const ipam = createIpam(checks);
  const existing = [...services].sort(byAge).flatMap((s) => {
    const e = existingAllocation(s);
    return e === undefined ? [] : [e];
  });
  const report = ipam.importAllocations(existing);
  return { ipam, checks: new Map(checks.map((c) => [c.name, c])), issues: report.issues };
}
