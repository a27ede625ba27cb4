// Builds the client configuration from the source the options chose, without loading
// @kubernetes/client-node unless the kubeconfig needs it (exec or auth-provider plugins, a proxy).
import { loadClusterAccess } from '@purelb/k8s-watch';
import type { ClusterAccess } from '@purelb/k8s-watch';
import type { KubeconfigSource } from './options.ts';

export type LoadKubeConfigResult =
  | { readonly ok: true; readonly value: ClusterAccess }
  | { readonly ok: false; readonly errors: readonly { readonly path: string; readonly message: string }[] };

export async function loadKubeConfig(source: KubeconfigSource): Promise<LoadKubeConfigResult> {
  const path = source.kind === 'in-cluster' ? 'in-cluster' : source.from === 'home' ? source.path : source.from;
  const loaded = await loadClusterAccess(
    source.kind === 'in-cluster' ? { kind: 'in-cluster' } : { kind: 'file', path: source.path },
  );
  if (loaded.ok) return loaded;
  return { ok: false, errors: [{ path, message: `cannot load the client configuration: ${loaded.error.message}` }] };
}
