// Builds the Kubernetes client configuration from the source the options chose.
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeconfigSource } from './options.ts';

export type LoadKubeConfigResult =
  | { readonly ok: true; readonly value: KubeConfig }
  | { readonly ok: false; readonly errors: readonly { readonly path: string; readonly message: string }[] };

export function loadKubeConfig(source: KubeconfigSource): LoadKubeConfigResult {
  const kc = new KubeConfig();
  const path = source.kind === 'in-cluster' ? 'in-cluster' : source.from === 'home' ? source.path : source.from;
  try {
    if (source.kind === 'in-cluster') kc.loadFromCluster();
    else kc.loadFromFile(source.path);
  } catch (err: unknown) {
    return {
      ok: false,
      errors: [
        { path, message: `cannot load the client configuration: ${err instanceof Error ? err.message : String(err)}` },
      ],
    };
  }
  if (kc.getCurrentCluster() === null)
    return { ok: false, errors: [{ path, message: 'the client configuration names no current cluster' }] };
  return { ok: true, value: kc };
}
