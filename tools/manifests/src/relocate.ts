// Moves manifest objects into another namespace so that several copies of an install can live on
// one API server (each test its own): namespaced objects and ServiceAccount subjects move, the
// Namespace is renamed, and cluster-scoped RBAC names get a suffix, references included. CRDs stay
// as they are (a CRD's name is fixed by its group and plural).
import type { ManifestObject } from './load-kustomization.ts';

export interface Relocation {
  /** The namespace the objects are written for, e.g. `purelb`. */
  readonly from: string;
  readonly to: string;
  /** Appended to the names of ClusterRoles and ClusterRoleBindings (`purelb:allocator` + `-x1`). */
  readonly clusterSuffix: string;
}

const CLUSTER_RBAC = new Set(['ClusterRole', 'ClusterRoleBinding']);

interface Movable {
  metadata: { name: string; namespace?: string };
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; namespace?: string }[];
}

export function relocate(o: ManifestObject, r: Relocation): ManifestObject {
  if (o.kind === 'CustomResourceDefinition') return o;
  const moved = structuredClone(o) as unknown as Movable;
  const m = moved.metadata;
  if (m.namespace === r.from) m.namespace = r.to;
  if (o.kind === 'Namespace' && m.name === r.from) m.name = r.to;
  if (CLUSTER_RBAC.has(o.kind)) m.name = `${m.name}${r.clusterSuffix}`;
  if (moved.roleRef?.kind === 'ClusterRole') moved.roleRef.name = `${moved.roleRef.name}${r.clusterSuffix}`;
  for (const s of moved.subjects ?? []) if (s.kind === 'ServiceAccount' && s.namespace === r.from) s.namespace = r.to;
  return moved as unknown as ManifestObject;
}
