// watchResource across kube-apiserver restarts, on a control plane of its own (the run's shared one
// stays undisturbed). The watcher's requests are held back while the test changes objects, so the
// changes happen while it has no watch open; it must then reflect them, deletions included.
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1ConfigMap, KubeConfig } from '@kubernetes/client-node';
import { configMap } from './config-map.int-fixture.ts';
import { createTestNamespace, loadKubeConfig, startControlPlane, waitFor, waitUntil } from '@purelb/test-control-plane';
import type { ControlPlane } from '@purelb/test-control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeTransport } from './kube-transport.ts';
import { watchResource } from './watch-resource.ts';
import type { ResourceWatch, WatchStatus, WatchTransport } from './watch-types.ts';

let cp: ControlPlane;
let kc: KubeConfig;
let core: CoreV1Api;

beforeAll(async () => {
  cp = await startControlPlane();
  kc = loadKubeConfig(cp.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await cp.stop();
});

/** The real transport, whose new requests can be held back (not failed) until released. */
function gatedTransport(kubeConfig: KubeConfig) {
  const real = createKubeTransport(kubeConfig);
  let gate: Promise<void> | undefined;
  let open = (): void => {};
  const transport: WatchTransport = {
    list: async (request) => {
      if (gate !== undefined) await gate;
      return real.list(request);
    },
    watch: (request, handlers) => {
      if (gate === undefined) return real.watch(request, handlers);
      let cancelled = false;
      let inner: { cancel(): void } | undefined;
      void gate.then(() => {
        if (!cancelled) inner = real.watch(request, handlers);
      });
      return {
        cancel: () => {
          cancelled = true;
          inner?.cancel();
        },
      };
    },
  };
  return {
    transport,
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => {
      gate = undefined;
      open();
    },
  };
}

async function truth(namespace: string): Promise<string[]> {
  const list = await core.listNamespacedConfigMap({ namespace });
  return list.items
    .map((cm) => `${cm.metadata?.name ?? ''}=${cm.data?.['value'] ?? ''}@${cm.metadata?.resourceVersion ?? ''}`)
    .sort();
}

function seen(w: ResourceWatch<V1ConfigMap>): string[] {
  return [...(w.current()?.values() ?? [])]
    .map((cm) => `${cm.metadata?.name ?? ''}=${cm.data?.['value'] ?? ''}@${cm.metadata?.resourceVersion ?? ''}`)
    .sort();
}

async function converged(w: ResourceWatch<V1ConfigMap>, namespace: string): Promise<string[]> {
  let server: string[] = [];
  await waitUntil(
    async () => {
      server = await truth(namespace);
      return seen(w).join() === server.join()
        ? { kind: 'done', value: undefined }
        : { kind: 'pending', reason: `seen ${seen(w).join()} / server ${server.join()}` };
    },
    { what: 'convergence', timeoutMs: 90_000, intervalMs: 200 },
  );
  return server.map((s) => s.split('@')[0]!);
}

async function scenario(compactEtcd: boolean) {
  const namespace = await createTestNamespace(kc, compactEtcd ? 'watch-compact' : 'watch-restart');
  for (const name of ['keep', 'change', 'drop'])
    await core.createNamespacedConfigMap({ namespace, body: configMap(name, 'v1') });
  const gated = gatedTransport(kc);
  const w = watchResource<V1ConfigMap>({
    transport: gated.transport,
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    backoff: { initialMs: 200, maxMs: 2000 },
  });
  const statuses: WatchStatus[] = [];
  w.status$.subscribe((s) => statuses.push(s));
  await w.whenSynced();
  expect(seen(w)).toHaveLength(3);
  await core.createNamespacedConfigMap({ namespace, body: configMap('live', 'v1') });
  await waitFor('the live watch', () => w.current()?.has(`${namespace}/live`), { timeoutMs: 30_000 });

  gated.hold();
  await cp.restartApiServer({ compactEtcd });
  await core.deleteNamespacedConfigMap({ name: 'drop', namespace });
  await core.replaceNamespacedConfigMap({ name: 'change', namespace, body: configMap('change', 'v2') });
  await core.createNamespacedConfigMap({ namespace, body: configMap('new', 'v1') });
  const released = performance.now();
  gated.release();

  expect(await converged(w, namespace)).toEqual(['change=v2', 'keep=v1', 'live=v1', 'new=v1']);
  console.log(
    `restart${compactEtcd ? ' + compaction' : ''}: converged ${Math.round(performance.now() - released)} ms after the watcher was let through`,
  );
  w.stop();
  return statuses;
}

describe('watchResource across API server restarts', () => {
  it('recovers after a restart and reflects what changed while it had no watch, deletions included', async () => {
    const statuses = await scenario(false);
    expect(statuses.at(-1)!.restarts).toBeGreaterThanOrEqual(1);
    expect(statuses.at(-1)!.synced).toBe(true);
  });

  it('a watch resumed from a compacted resourceVersion gets 410 Gone, relists and converges', async () => {
    const statuses = await scenario(true);
    expect(statuses.some((s) => s.lastError?.code === 'Gone')).toBe(true);
    expect(statuses.at(-1)!.relists).toBeGreaterThanOrEqual(1);
  });
});
