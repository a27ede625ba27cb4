// Setup file of the `integration` project: after each test file, the LoadBalancer Services it left
// behind are deleted. The daemons under test watch Services cluster-wide, so a Service one file
// forgot would otherwise be imported, announced and routed by the next file's allocator and agents.
import { afterAll, inject } from 'vitest';
import { createKubeClient } from './kube-client.ts';
import './provided-context.ts';

interface ServiceList {
  readonly items?: readonly {
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
    readonly spec?: { readonly type?: string };
  }[];
}

afterAll(async () => {
  const kubeconfig = inject('kubeconfigPath');
  if (typeof kubeconfig !== 'string' || kubeconfig === '') return;
  const api = await createKubeClient(kubeconfig);
  try {
    const list = await api.get('/api/v1/services');
    if (list.status !== 200) return;
    const left = ((list.body as ServiceList).items ?? []).filter((s) => s.spec?.type === 'LoadBalancer');
    for (const s of left) {
      const { name, namespace } = s.metadata ?? {};
      if (name === undefined || namespace === undefined) continue;
      await api.delete(`/api/v1/namespaces/${namespace}/services/${name}`);
    }
  } catch {
    // The control plane may be gone (a file that stopped it); nothing is left to isolate then.
  } finally {
    api.close();
  }
});
