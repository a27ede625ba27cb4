// Watches the Services of one namespace until the allocator has settled every one of them.
import { Watch } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from '@purelb/test-control-plane';
import { allocationRow, isSettled } from './allocation-table.ts';
import type { AllocationRow } from './allocation-table.ts';
import type { ServiceView } from './service-shapes.ts';

export interface WaitForAllocationOptions {
  /** For the watch connection. */
  readonly kubeConfig: KubeConfig;
  /** For the lists. */
  readonly rest: KubeClient;
  readonly namespace: string;
  /** The Service names to wait for. */
  readonly names: readonly string[];
  readonly timeoutMs: number;
  /** Called whenever the number of settled Services changes. */
  readonly onProgress?: (settled: number, total: number) => void;
}

export interface AllocationWaitResult {
  /** Whether every named Service settled before the timeout. */
  readonly complete: boolean;
  /** One row per named Service, in the order of `names`. */
  readonly rows: readonly AllocationRow[];
}

const missingRow = (namespace: string, name: string): AllocationRow => ({
  service: `${namespace}/${name}`,
  addresses: [],
  group: undefined,
  condition: undefined,
});

/**
 * Lists, then watches, the namespace's Services (listing again whenever the watch ends) until every
 * named Service is settled or the time is up. Never throws for API errors: it keeps trying until the
 * deadline and reports what it saw.
 */
export async function waitForAllocation(options: WaitForAllocationOptions): Promise<AllocationWaitResult> {
  const { kubeConfig, rest, namespace, names, timeoutMs } = options;
  const seen = new Map<string, ServiceView>();
  const rows = (): AllocationRow[] =>
    names.map((n) => {
      const s = seen.get(n);
      return s === undefined ? missingRow(namespace, n) : allocationRow(s);
    });
  let lastCount = -1;
  const done = (): boolean => {
    const count = rows().filter(isSettled).length;
    if (count !== lastCount) {
      lastCount = count;
      options.onProgress?.(count, names.length);
    }
    return count === names.length;
  };

  const deadline = AbortSignal.timeout(timeoutMs);
  while (!deadline.aborted) {
    const list = await listServices(rest, namespace);
    if (list === undefined) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    seen.clear();
    for (const s of list.items) seen.set(s.metadata?.name ?? '', s);
    if (done()) return { complete: true, rows: rows() };
    const finished = await watchOnce({
      kubeConfig,
      namespace,
      resourceVersion: list.resourceVersion,
      seen,
      done,
      deadline,
    });
    if (finished) return { complete: true, rows: rows() };
  }
  return { complete: done(), rows: rows() };
}

interface ServiceList {
  readonly items: readonly ServiceView[];
  readonly resourceVersion: string | undefined;
}

/** Lists the namespace's Services; undefined when the API server did not answer with a list. */
async function listServices(rest: KubeClient, namespace: string): Promise<ServiceList | undefined> {
  try {
    const res = await rest.get(`/api/v1/namespaces/${namespace}/services`);
    if (res.status !== 200) return undefined;
    const body = res.body as { items?: ServiceView[]; metadata?: { resourceVersion?: string } };
    return { items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion };
  } catch {
    return undefined;
  }
}

interface WatchOnce {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** Where the list left off. */
  readonly resourceVersion: string | undefined;
  /** The Services seen so far, by name; the watch keeps it current. */
  readonly seen: Map<string, ServiceView>;
  readonly done: () => boolean;
  readonly deadline: AbortSignal;
}

/** One watch connection; resolves true once `done()` holds, false when the watch or the time ends. */
async function watchOnce({
  kubeConfig,
  namespace,
  resourceVersion,
  seen,
  done,
  deadline,
}: WatchOnce): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let controller: AbortController | undefined;
    let settled = false;
    const finish = (value: boolean): void => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener('abort', onDeadline);
      controller?.abort();
      resolve(value);
    };
    const onDeadline = (): void => {
      finish(false);
    };
    deadline.addEventListener('abort', onDeadline);
    new Watch(kubeConfig)
      .watch(
        `/api/v1/namespaces/${namespace}/services`,
        { resourceVersion, allowWatchBookmarks: true },
        (phase: string, obj: ServiceView) => {
          const name = obj.metadata?.name;
          if (name === undefined) return;
          if (phase === 'DELETED') seen.delete(name);
          else if (phase === 'ADDED' || phase === 'MODIFIED') seen.set(name, obj);
          if (done()) finish(true);
        },
        () => {
          finish(false);
        },
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        () => {
          finish(false);
        },
      );
  });
}
