// The ServiceGroups the demo installs: those of deploy/examples/documentation-ranges, `default`
// (both families, shaped like the spec's `localaddrange`) and `virtual` (a second group that
// Services pick by annotation). Every address is in a documentation range.
import { join } from 'node:path';
import { DEFAULT_SERVICE_GROUP } from '@purelb/ipam-core';
import { loadKustomization, relocate } from '@purelb/manifests';
import type { ManifestObject } from '@purelb/manifests';

/** The example configuration the demo applies: its ServiceGroups and its LBNodeAgent. */
export const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', '..', 'deploy', 'examples', 'documentation-ranges');

/** A ServiceGroup as sent to the API server (group `purelb.io`, version `v1`). */
export interface ServiceGroupObject {
  readonly apiVersion: 'purelb.io/v1';
  readonly kind: 'ServiceGroup';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly local: {
      readonly v4pools?: readonly PoolSpec[];
      readonly v6pools?: readonly PoolSpec[];
    };
  };
}

export interface PoolSpec {
  readonly pool: string;
  readonly subnet: string;
  readonly aggregation: string;
}

/** The example's objects, moved into the given install namespace. */
export function exampleObjects(installNamespace: string): readonly ManifestObject[] {
  return loadKustomization(EXAMPLE_DIR).objects.map((o) =>
    relocate(o, { from: 'purelb', to: installNamespace, clusterSuffix: '' }),
  );
}

/** Returns the sample groups for the given install namespace, `default` first. */
export function sampleServiceGroups(installNamespace: string): readonly ServiceGroupObject[] {
  const groups = exampleObjects(installNamespace).filter(
    (o) => o.kind === 'ServiceGroup',
  ) as unknown as ServiceGroupObject[];
  if (groups[0]?.metadata.name !== DEFAULT_SERVICE_GROUP)
    throw new Error(`${EXAMPLE_DIR}: the first ServiceGroup is not ${DEFAULT_SERVICE_GROUP}`);
  return groups;
}
