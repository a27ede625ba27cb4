// A daemon's client configuration, from the source its options chose: the file named by
// `--kubeconfig`, by `KUBECONFIG` or in the home directory, or the pod's service account. Failures
// name that source the way the operator gave it.
import type { ClusterAccess } from './cluster-access.ts';
import { loadClusterAccess } from './load-cluster-access.ts';

/** Where the client configuration comes from, decided once at start-up. */
export type KubeconfigSource =
  | { readonly kind: 'file'; readonly path: string; readonly from: '--kubeconfig' | 'KUBECONFIG' | 'home' }
  | { readonly kind: 'in-cluster' };

export type LoadKubeconfigResult =
  | { readonly ok: true; readonly value: ClusterAccess }
  | { readonly ok: false; readonly errors: readonly { readonly path: string; readonly message: string }[] };

/**
 * Loads it without @kubernetes/client-node unless the file needs it (exec or auth-provider
 * plugins, a proxy). The error's `path` is `--kubeconfig`, `KUBECONFIG`, the file, or `in-cluster`.
 */
export async function loadKubeconfigSource(source: KubeconfigSource): Promise<LoadKubeconfigResult> {
  const path = source.kind === 'in-cluster' ? 'in-cluster' : source.from === 'home' ? source.path : source.from;
  const loaded = await loadClusterAccess(
    source.kind === 'in-cluster' ? { kind: 'in-cluster' } : { kind: 'file', path: source.path },
  );
  if (loaded.ok) return loaded;
  return { ok: false, errors: [{ path, message: `cannot load the client configuration: ${loaded.error.message}` }] };
}
