// The snapshot key of a Kubernetes object.
import type { KubeObject } from './watch-types.ts';

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones, undefined without a name. */
export function objectKey(object: KubeObject): string | undefined {
  const name = object.metadata?.name;
  if (name === undefined || name === '') return undefined;
  const namespace = object.metadata?.namespace;
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}
