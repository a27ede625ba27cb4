// The nodes with endpoints of each Service, kept up to date slice by slice: an EndpointSlice update
// recomputes only its Service, and says whether that Service's nodes changed. Pods come and go far
// more often than the set of nodes they run on; an update that moves no Service's node set costs no
// pass over the node's addresses.
import type { EndpointSliceObject } from './kube-objects.ts';
import { sliceNodes, sliceService } from './objects-to-domain.ts';
import type { EndpointNodes } from './objects-to-domain.ts';

export interface EndpointIndex {
  /** Applies the changed slices (absent from the snapshot = deleted); true when some Service's nodes changed. */
  apply(snapshot: ReadonlyMap<string, EndpointSliceObject>, changed: Iterable<string>): boolean;
  /** Per Service key, its nodes (Services without any are absent). */
  nodes(): EndpointNodes;
}

const sameSet = (a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.size === b.size && [...a].every((x) => b.has(x));

export function createEndpointIndex(): EndpointIndex {
  // Kept small, one entry per slice: its Service's key, and per Service its slices' keys (an array:
  // most Services have one slice, and a Set costs ~200 bytes). The nodes are read again from the
  // snapshot's slices when their Service is recomputed.
  const serviceOf = new Map<string, string>();
  const slicesOf = new Map<string, readonly string[]>();
  const byService = new Map<string, ReadonlySet<string>>();

  const unlink = (sliceKey: string, service: string): void => {
    const keys = (slicesOf.get(service) ?? []).filter((k) => k !== sliceKey);
    if (keys.length === 0) slicesOf.delete(service);
    else slicesOf.set(service, keys.slice());
  };

  return {
    apply(snapshot, changed) {
      const affected = new Set<string>();
      for (const key of changed) {
        const before = serviceOf.get(key);
        const object = snapshot.get(key);
        const after = object === undefined ? undefined : sliceService(object);
        if (before === after) {
          if (after !== undefined) affected.add(after);
          continue;
        }
        if (before !== undefined) {
          affected.add(before);
          unlink(key, before);
          serviceOf.delete(key);
        }
        if (after !== undefined) {
          affected.add(after);
          serviceOf.set(key, after);
          slicesOf.set(after, [...(slicesOf.get(after) ?? []), key]);
        }
      }
      let any = false;
      for (const service of affected) {
        const nodes = new Set<string>();
        for (const key of slicesOf.get(service) ?? []) {
          const object = snapshot.get(key);
          for (const n of object === undefined ? [] : (sliceNodes(object)?.nodes ?? [])) nodes.add(n);
        }
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
