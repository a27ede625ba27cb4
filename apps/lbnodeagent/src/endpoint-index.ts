// The nodes with endpoints of each Service, kept up to date slice by slice: an EndpointSlice update
// recomputes only its Service, and says whether that Service's nodes changed. Pods come and go far
// more often than the set of nodes they run on; an update that moves no Service's node set costs no
// pass over the node's addresses.
import type { EndpointSliceObject } from './kube-objects.ts';
import { sliceNodes } from './objects-to-domain.ts';
import type { EndpointNodes, SliceNodes } from './objects-to-domain.ts';

export interface EndpointIndex {
  /** Applies the changed slices (absent from the snapshot = deleted); true when some Service's nodes changed. */
  apply(snapshot: ReadonlyMap<string, EndpointSliceObject>, changed: Iterable<string>): boolean;
  /** Per Service key, its nodes (Services without any are absent). */
  nodes(): EndpointNodes;
}

const sameSet = (a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.size === b.size && [...a].every((x) => b.has(x));

export function createEndpointIndex(): EndpointIndex {
  /** Per slice key, what it says. */
  const slices = new Map<string, SliceNodes>();
  /** Per Service key, the keys of its slices. */
  const slicesOf = new Map<string, Set<string>>();
  const byService = new Map<string, ReadonlySet<string>>();

  const unlink = (sliceKey: string, service: string): void => {
    const keys = slicesOf.get(service);
    keys?.delete(sliceKey);
    if (keys?.size === 0) slicesOf.delete(service);
  };

  return {
    apply(snapshot, changed) {
      const affected = new Set<string>();
      for (const key of changed) {
        const before = slices.get(key);
        const object = snapshot.get(key);
        const after = object === undefined ? undefined : sliceNodes(object);
        if (before !== undefined) {
          affected.add(before.service);
          unlink(key, before.service);
          slices.delete(key);
        }
        if (after !== undefined) {
          affected.add(after.service);
          slices.set(key, after);
          let keys = slicesOf.get(after.service);
          if (keys === undefined) slicesOf.set(after.service, (keys = new Set()));
          keys.add(key);
        }
      }
      let any = false;
      for (const service of affected) {
        const nodes = new Set<string>();
        for (const key of slicesOf.get(service) ?? []) for (const n of slices.get(key)?.nodes ?? []) nodes.add(n);
        const next = nodes.size === 0 ? undefined : nodes;
        if (sameSet(byService.get(service), next)) continue;
        any = true;
        if (next === undefined) byService.delete(service);
        else byService.set(service, next);
      }
      return any;
    },
    nodes: () => byService,
  };
}
