// The Services the benchmark creates and the arithmetic it reports.

/** The LoadBalancer Service the benchmark creates, as plain JSON. */
export interface BenchServiceManifest {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly type: 'LoadBalancer';
    readonly allocateLoadBalancerNodePorts: boolean;
    readonly ipFamilyPolicy: 'SingleStack' | 'RequireDualStack';
    readonly ipFamilies: readonly ('IPv4' | 'IPv6')[];
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: 'TCP' }[];
  };
}

/** A plain LoadBalancer Service that needs no node ports: IPv4 only, or both families when `dualStack`. */
export function benchService(
  namespace: string,
  name: string,
  options: { readonly dualStack?: boolean } = {},
): BenchServiceManifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      ipFamilyPolicy: options.dualStack === true ? 'RequireDualStack' : 'SingleStack',
      ipFamilies: options.dualStack === true ? ['IPv4', 'IPv6'] : ['IPv4'],
      selector: { app: name },
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  };
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100); NaN for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Runs `task` over `items` with at most `limit` in flight; rejects on the first failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
