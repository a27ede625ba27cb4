// Records, per Service name, when the watch first showed it with an ingress address.
import { performance } from 'node:perf_hooks';
import { Watch } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from '@purelb/test-control-plane';
import type { ServiceObject } from '../src/kube-objects.ts';

export interface IngressSeen {
  /** `performance.now()` when the first event with ingress arrived. */
  readonly at: number;
  readonly addresses: readonly string[];
}

export interface IngressWatcher {
  readonly seen: ReadonlyMap<string, IngressSeen>;
  /** Resolves once every name in `names` has been seen with ingress; rejects after `timeoutMs`. */
  waitFor(names: readonly string[], timeoutMs: number): Promise<void>;
  /** How many times the watch had to be opened again. */
  readonly restarts: () => number;
  stop(): void;
}

/** Lists, then watches, `namespace`'s Services until stopped, re-listing whenever the watch ends. */
export function startIngressWatcher(kubeConfig: KubeConfig, rest: KubeClient, namespace: string): IngressWatcher {
  const seen = new Map<string, IngressSeen>();
  const waiters = new Set<() => void>();
  let stopped = false;
  let restarts = -1;
  let controller: AbortController | undefined;

  const observe = (s: ServiceObject): void => {
    const name = s.metadata?.name;
    if (name === undefined || seen.has(name)) return;
    const addresses = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((a) => a !== '');
    if (addresses.length === 0) return;
    seen.set(name, { at: performance.now(), addresses });
    for (const w of waiters) w();
  };

  const connect = async (): Promise<void> => {
    while (!stopped) {
      restarts++;
      const res = await rest.get(`/api/v1/namespaces/${namespace}/services`).catch(() => undefined);
      if (res?.status !== 200) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const list = res.body as { items?: ServiceObject[]; metadata?: { resourceVersion?: string } };
      for (const s of list.items ?? []) observe(s);
      await new Promise<void>((resolve) => {
        new Watch(kubeConfig)
          .watch(
            `/api/v1/namespaces/${namespace}/services`,
            { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
            (phase: string, obj: ServiceObject) => {
              if (phase === 'ADDED' || phase === 'MODIFIED') observe(obj);
            },
            () => {
              resolve();
            },
          )
          .then(
            (c) => {
              controller = c;
              if (stopped) c.abort();
            },
            () => {
              resolve();
            },
          );
      });
    }
  };
  void connect();

  return {
    seen,
    restarts: () => Math.max(restarts, 0),
    waitFor: (names, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (names.every((n) => seen.has(n))) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          const missing = names.filter((n) => !seen.has(n));
          reject(
            new Error(
              `${missing.length} of ${names.length} Services got no ingress within ${timeoutMs} ms (first: ${missing.slice(0, 3).join(', ')})`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    stop: () => {
      stopped = true;
      controller?.abort();
    },
  };
}
