// watchResource against the run's real kube-apiserver: bursts converge, paging, custom resources.
// Restarts and 410 Gone are in watch-resource-restart.int.test.ts, on a control plane of its own.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { V1ConfigMap, KubeConfig } from '@kubernetes/client-node';
import { configMap } from './config-map.int-fixture.ts';
import { createTestNamespace, waitUntil } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { watchResource } from './watch-resource.ts';
import type { ResourceWatch, Snapshot } from './watch-types.ts';

let kc: KubeConfig;
let core: CoreV1Api;

beforeAll(() => {
  kc = testKubeConfig();
  core = kc.makeApiClient(CoreV1Api);
});

async function inBatches<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

/** `name → data.value@resourceVersion` for every ConfigMap the server has in `namespace`. */
async function truth(namespace: string): Promise<Record<string, string>> {
  const list = await core.listNamespacedConfigMap({ namespace });
  return Object.fromEntries(
    list.items.map((cm) => [
      `${namespace}/${cm.metadata?.name ?? ''}`,
      `${cm.data?.['value'] ?? ''}@${cm.metadata?.resourceVersion ?? ''}`,
    ]),
  );
}

function view(snapshot: Snapshot<V1ConfigMap> | undefined): Record<string, string> {
  return Object.fromEntries(
    [...(snapshot ?? new Map<string, V1ConfigMap>())].map(([k, cm]) => [
      k,
      `${cm.data?.['value'] ?? ''}@${cm.metadata?.resourceVersion ?? ''}`,
    ]),
  );
}

function differences(seen: Record<string, string>, server: Record<string, string>): string {
  const keys = [...new Set([...Object.keys(seen), ...Object.keys(server)])].filter((k) => seen[k] !== server[k]);
  return keys
    .slice(0, 10)
    .map((k) => `${k}: seen ${seen[k] ?? '-'} server ${server[k] ?? '-'}`)
    .join('; ');
}

/** Waits until the watch's snapshot equals the server's list (compared after each new snapshot). */
async function converged(w: ResourceWatch<V1ConfigMap>, namespace: string): Promise<Record<string, string>> {
  let last: Record<string, string> = {};
  await waitUntil(
    async () => {
      last = await truth(namespace);
      const diff = differences(view(w.current()), last);
      return diff === '' && w.current() !== undefined
        ? { kind: 'done', value: undefined }
        : { kind: 'pending', reason: `differences: ${diff}` };
    },
    { what: 'convergence', timeoutMs: 90_000, intervalMs: 200 },
  );
  return last;
}

describe('watchResource on a real API server', () => {
  it('converges after a burst of 200 creates, 100 updates and 50 deletes', async () => {
    const namespace = await createTestNamespace(kc, 'watch-burst');
    const w = watchResource<V1ConfigMap>({ kubeConfig: kc, path: `/api/v1/namespaces/${namespace}/configmaps` });
    let emissions = 0;
    w.updates$.subscribe(() => emissions++);
    expect(await w.whenSynced()).toBe(true);
    expect(w.current()!.size).toBe(0);

    const names = Array.from({ length: 200 }, (_, i) => `cm-${String(i).padStart(3, '0')}`);
    await inBatches(names, 20, (name) => core.createNamespacedConfigMap({ namespace, body: configMap(name, 'v1') }));
    await inBatches(names.slice(0, 100), 20, (name) =>
      core.replaceNamespacedConfigMap({ name, namespace, body: configMap(name, 'v2') }),
    );
    await inBatches(names.slice(150), 20, (name) => core.deleteNamespacedConfigMap({ name, namespace }));

    const final = await converged(w, namespace);
    expect(Object.keys(final)).toHaveLength(150);
    expect(Object.values(final).filter((v) => v.startsWith('v2@'))).toHaveLength(100);
    console.log(`burst: 350 writes -> ${emissions} snapshot emissions`);
    w.stop();
  });

  it('pages the initial list and lists custom resources', async () => {
    const namespace = await createTestNamespace(kc, 'watch-paged');
    const names = Array.from({ length: 120 }, (_, i) => `p-${i}`);
    await inBatches(names, 20, (name) => core.createNamespacedConfigMap({ namespace, body: configMap(name, 'x') }));
    const w = watchResource<V1ConfigMap>({
      kubeConfig: kc,
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      pageSize: 25,
    });
    await w.whenSynced();
    expect(w.current()!.size).toBe(120);
    w.stop();

    const custom = kc.makeApiClient(CustomObjectsApi);
    const group = (name: string, third: number) => ({
      apiVersion: 'purelb.io/v1',
      kind: 'ServiceGroup',
      metadata: { name },
      spec: {
        local: {
          v4pools: [
            { pool: `198.51.100.${third}-198.51.100.${third + 5}`, subnet: '198.51.100.0/24', aggregation: 'default' },
          ],
        },
      },
    });
    const sgs = watchResource<{ metadata?: { name?: string; namespace?: string } }>({
      kubeConfig: kc,
      path: `/apis/purelb.io/v1/namespaces/${namespace}/servicegroups`,
    });
    await sgs.whenSynced();
    for (const [i, name] of ['sg-a', 'sg-b', 'sg-c'].entries()) {
      await custom.createNamespacedCustomObject({
        group: 'purelb.io',
        version: 'v1',
        namespace,
        plural: 'servicegroups',
        body: group(name, 10 + i * 10),
      });
    }
    await custom.deleteNamespacedCustomObject({
      group: 'purelb.io',
      version: 'v1',
      namespace,
      plural: 'servicegroups',
      name: 'sg-b',
    });
    await waitUntil(
      () => {
        const keys = [...(sgs.current()?.keys() ?? [])].sort().join();
        return keys === `${namespace}/sg-a,${namespace}/sg-c`
          ? { kind: 'done', value: undefined }
          : { kind: 'pending', reason: `servicegroups ${keys}` };
      },
      { what: 'servicegroups sg-a and sg-c', timeoutMs: 30_000 },
    );
    sgs.stop();
  });
});
