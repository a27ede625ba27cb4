// Reads what the plugin needs from the API server, with the kubeconfig's credentials: Services of
// every namespace, the install namespace's ServiceGroups and Leases, the Nodes (when allowed).
import { createKubeTransport, loadClusterAccess } from '@purelb/k8s-watch';
import type { ClusterAccess, WatchTransport } from '@purelb/k8s-watch';
import type { ClusterSnapshot, LeaseObject, NodeObject, ServiceGroupObject, ServiceObject } from './kube-objects.ts';
import type { KubeconfigChoice } from './parse-args.ts';

/** Why the cluster could not be read. Closed union: it may grow in a minor release. */
export interface ClusterFailure {
  readonly code: 'NoKubeconfig' | 'Unreachable' | 'Refused' | 'NoCrd';
  readonly message: string;
}

export type ClusterResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ClusterFailure };

export async function loadAccess(choice: KubeconfigChoice): Promise<ClusterResult<ClusterAccess>> {
  const loaded = await loadClusterAccess({ kind: 'file', path: choice.path });
  if (loaded.ok) return loaded;
  const from = choice.from === 'home' ? '' : ` (from ${choice.from})`;
  return {
    ok: false,
    error: {
      code: 'NoKubeconfig',
      message: `cannot use the kubeconfig ${choice.path}${from}: ${loaded.error.message}`,
    },
  };
}

/** Every item of a collection, page by page; `forbidden` when the answer was 403. */
async function listAll(
  transport: WatchTransport,
  path: string,
): Promise<ClusterResult<unknown[]> | { readonly ok: 'forbidden' }> {
  const items: unknown[] = [];
  let continueToken: string | undefined;
  do {
    const page = await transport.list({
      path,
      limit: 500,
      continueToken,
      labelSelector: undefined,
      fieldSelector: undefined,
    });
    if (!page.ok) {
      const status = page.error.code === 'HttpStatus' ? page.error.status : undefined;
      if (status === 403) return { ok: 'forbidden' };
      if (status === 404)
        return { ok: false, error: { code: 'NoCrd', message: `${path}: not found (${page.error.message})` } };
      const code = status === undefined ? 'Unreachable' : 'Refused';
      return { ok: false, error: { code, message: `${path}: ${page.error.message}` } };
    }
    items.push(...page.value.items);
    continueToken = page.value.continueToken;
  } while (continueToken !== undefined);
  return { ok: true, value: items };
}

export async function fetchSnapshot(
  access: ClusterAccess,
  installNamespace: string,
): Promise<ClusterResult<ClusterSnapshot>> {
  const transport = createKubeTransport(access);
  const [services, groups, leases, nodes] = await Promise.all([
    listAll(transport, '/api/v1/services'),
    listAll(transport, `/apis/purelb.io/v1/namespaces/${installNamespace}/servicegroups`),
    listAll(transport, `/apis/coordination.k8s.io/v1/namespaces/${installNamespace}/leases`),
    listAll(transport, '/api/v1/nodes'),
  ]);
  const required = (r: typeof services, what: string): ClusterResult<unknown[]> =>
    r.ok === 'forbidden' ? { ok: false, error: { code: 'Refused', message: `not allowed to list ${what}` } } : r;
  const s = required(services, 'Services');
  if (!s.ok) return s;
  const g = required(groups, `ServiceGroups in ${installNamespace}`);
  if (!g.ok) {
    if (g.error.code === 'NoCrd') {
      return {
        ok: false,
        error: { code: 'NoCrd', message: `no ServiceGroups: is PureLB's CRD installed? (${g.error.message})` },
      };
    }
    return g;
  }
  const l = leases.ok === true ? leases.value : [];
  return {
    ok: true,
    value: {
      services: s.value as ServiceObject[],
      groups: g.value as ServiceGroupObject[],
      leases: l as LeaseObject[],
      nodes: nodes.ok === true ? (nodes.value as NodeObject[]) : undefined,
    },
  };
}

/** The images of PureLB's workloads in the install namespace (`allocator`, `lbnodeagent`), when readable. */
export async function fetchImages(access: ClusterAccess, installNamespace: string): Promise<ClusterResult<string[]>> {
  const transport = createKubeTransport(access);
  const out: string[] = [];
  for (const [kind, path] of [
    ['Deployment', `/apis/apps/v1/namespaces/${installNamespace}/deployments`],
    ['DaemonSet', `/apis/apps/v1/namespaces/${installNamespace}/daemonsets`],
  ] as const) {
    const r = await listAll(transport, path);
    if (r.ok === 'forbidden') continue;
    if (!r.ok) return r;
    for (const item of r.value as {
      metadata?: { name?: string };
      spec?: { template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
    }[]) {
      for (const c of item.spec?.template?.spec?.containers ?? []) {
        out.push(`${kind} ${item.metadata?.name ?? '?'} ${c.name ?? '?'}: ${c.image ?? '?'}`);
      }
    }
  }
  return { ok: true, value: out };
}
