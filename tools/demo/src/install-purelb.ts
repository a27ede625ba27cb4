// Installs PureLB into the demo's control plane as an operator would, through server-side apply:
// the install namespace (deploy/namespace), the software (deploy/base) and the example
// configuration (deploy/examples/documentation-ranges). The control plane has applied the CRDs.
// Without a kubelet, the Deployment and DaemonSet of the base run no pods: the demo runs the
// allocator itself.
import { join } from 'node:path';
import { applyObjects, loadKustomization, relocate } from '@purelb/manifests';
import type { ManifestObject } from '@purelb/manifests';
import type { KubeClient } from '@purelb/test-control-plane';
import { exampleObjects } from './sample-service-groups.ts';

const deploy = join(import.meta.dirname, '..', '..', '..', 'deploy');

/** The objects the demo applies, in order, for the given install namespace. */
export function demoInstallObjects(installNamespace: string): readonly ManifestObject[] {
  const software = ['namespace', 'base'].flatMap((step) => loadKustomization(join(deploy, step)).objects);
  const moved = software.map((o) => relocate(o, { from: 'purelb', to: installNamespace, clusterSuffix: '' }));
  return [...moved, ...exampleObjects(installNamespace)];
}

/** Applies them; throws with the API server's message when one is refused. */
export async function installPureLB(rest: KubeClient, installNamespace: string): Promise<void> {
  const applied = await applyObjects(rest, demoInstallObjects(installNamespace), { fieldManager: 'purelb-demo' });
  if (!applied.ok) throw new Error(`applying ${applied.error.object} failed: ${applied.error.message}`);
}
