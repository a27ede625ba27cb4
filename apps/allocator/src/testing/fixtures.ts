// Objects and polling for the allocator's integration tests.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKubeClient, expectOk, testNamespaceName, type KubeClient } from '@purelb/test-control-plane';
import type { ServiceObject } from '../kube-objects.ts';
import { startAllocatorProcess, type AllocatorProcess } from './allocator-process.ts';

/** A REST client for the tests that rides out an API server restart (connection failures and 503s, for 20 s). */
export function createTestApi(kubeconfigPath: string): Promise<KubeClient> {
  return createKubeClient(kubeconfigPath, { retry: { attempts: 100, intervalMs: 200 } });
}

export interface TestAllocatorOptions {
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly extraArgs?: readonly string[];
}

/**
 * The allocator as these tests run it: debug logs, a short Lease (3 s, renew deadline 2 s, retry
 * 0.3 s unless given), in the test's process group. Set PURELB_TEST_LOG_DIR to keep each allocator's
 * output in `<dir>/<identity>.log` for a look after the run.
 */
export function spawnAllocator(options: TestAllocatorOptions): AllocatorProcess {
  const logDir = process.env['PURELB_TEST_LOG_DIR'];
  return startAllocatorProcess({
    kubeconfigPath: options.kubeconfigPath,
    namespace: options.namespace,
    identity: options.identity,
    logLevel: 'debug',
    leadership: {
      leaseDurationMs: options.leaseDurationMs ?? 3000,
      renewDeadlineMs: options.renewDeadlineMs ?? 2000,
      retryPeriodMs: options.retryPeriodMs ?? 300,
    },
    ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
    ...(logDir === undefined || logDir === '' ? {} : { logFile: join(logDir, `${options.identity}.log`) }),
    ownProcessGroup: false,
  });
}

/**
 * Polls until `probe` returns a value other than undefined; the error names what was awaited. Probes
 * that list many objects should poll less often (`intervalMs`) to leave the API server to the daemon.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export async function createNamespace(api: KubeClient, prefix: string): Promise<string> {
  const name = testNamespaceName(prefix);
  expectOk(await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'purelb.io/test': 'true' } } }), `create namespace ${name}`);
  return name;
}

export interface Pools {
  readonly v4pools?: readonly { pool: string; subnet: string; aggregation?: string }[];
  readonly v6pools?: readonly { pool: string; subnet: string; aggregation?: string }[];
}

export const groupsPath = (ns: string): string => `/apis/purelb.io/v1/namespaces/${ns}/servicegroups`;

export async function createGroup(api: KubeClient, ns: string, name: string, pools: Pools): Promise<void> {
  expectOk(
    await api.post(groupsPath(ns), { apiVersion: 'purelb.io/v1', kind: 'ServiceGroup', metadata: { name, namespace: ns }, spec: { local: pools } }),
    `create ServiceGroup ${name}`,
  );
}

export interface GroupView {
  readonly metadata?: { readonly generation?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly v4?: { capacity?: string; allocated?: string; available?: string };
    readonly v6?: { capacity?: string; allocated?: string; available?: string };
    readonly conditions?: readonly { type: string; status: string; reason: string; message: string }[];
  };
}

export async function getGroup(api: KubeClient, ns: string, name: string): Promise<GroupView | undefined> {
  const r = await api.get(`${groupsPath(ns)}/${name}`);
  return r.status === 200 ? (r.body as GroupView) : undefined;
}

export interface ServiceShape {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly type?: string;
  readonly loadBalancerClass?: string;
  readonly loadBalancerIP?: string;
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  readonly ports?: readonly { port: number; protocol?: string }[];
}

export const servicesPath = (ns: string): string => `/api/v1/namespaces/${ns}/services`;

export function serviceBody(ns: string, name: string, shape: ServiceShape = {}): unknown {
  const type = shape.type ?? 'LoadBalancer';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, ...(shape.annotations === undefined ? {} : { annotations: shape.annotations }) },
    spec: {
      type,
      selector: { app: name },
      ports: (shape.ports ?? [{ port: 80 }]).map((p, i) => ({ name: `p${i}`, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.port })),
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: false } : {}),
      ...(shape.loadBalancerClass === undefined ? {} : { loadBalancerClass: shape.loadBalancerClass }),
      ...(shape.loadBalancerIP === undefined ? {} : { loadBalancerIP: shape.loadBalancerIP }),
      ...(shape.ipFamilies === undefined ? {} : { ipFamilies: shape.ipFamilies }),
      ...(shape.ipFamilyPolicy === undefined ? {} : { ipFamilyPolicy: shape.ipFamilyPolicy }),
    },
  };
}

export async function createService(api: KubeClient, ns: string, name: string, shape: ServiceShape = {}): Promise<void> {
  expectOk(await api.post(servicesPath(ns), serviceBody(ns, name, shape)), `create Service ${ns}/${name}`);
}

export async function getService(api: KubeClient, ns: string, name: string): Promise<ServiceObject | undefined> {
  const r = await api.get(`${servicesPath(ns)}/${name}`);
  return r.status === 200 ? (r.body as ServiceObject) : undefined;
}

export async function listServices(api: KubeClient, ns: string): Promise<ServiceObject[]> {
  const body = expectOk(await api.get(servicesPath(ns)), `list Services in ${ns}`) as { items: ServiceObject[] };
  return body.items;
}

export async function patchService(api: KubeClient, ns: string, name: string, patch: unknown): Promise<void> {
  expectOk(await api.patch(`${servicesPath(ns)}/${name}`, patch), `patch Service ${ns}/${name}`);
}

export async function deleteService(api: KubeClient, ns: string, name: string): Promise<void> {
  expectOk(await api.delete(`${servicesPath(ns)}/${name}`), `delete Service ${ns}/${name}`);
}

/** Deletes every Service of `ns`, so that later allocators on a shared control plane do not import them. */
export async function deleteAllServices(api: KubeClient, ns: string): Promise<void> {
  for (const s of await listServices(api, ns)) await deleteService(api, ns, s.metadata?.name ?? '');
}

export function ingressIps(svc: ServiceObject | undefined): string[] {
  return (svc?.status?.loadBalancer?.ingress ?? []).flatMap((e) => (e.ip === undefined ? [] : [e.ip]));
}

export interface ConditionView {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export function allocatedCondition(svc: ServiceObject | undefined): ConditionView | undefined {
  return (svc?.status?.conditions ?? []).find((c): c is ConditionView => (c as ConditionView | undefined)?.type === 'purelb.io/Allocated');
}

/** Waits until the Service's condition has the reason (and returns the Service). */
export function waitForReason(api: KubeClient, ns: string, name: string, reason: string, timeoutMs?: number): Promise<ServiceObject> {
  return waitFor(
    `Service ${ns}/${name} to have reason ${reason}`,
    async () => {
      const svc = await getService(api, ns, name);
      return allocatedCondition(svc)?.reason === reason ? svc : undefined;
    },
    timeoutMs,
  );
}

/** Waits until the Service has `count` ingress addresses and reason Allocated. */
export function waitForAllocated(api: KubeClient, ns: string, name: string, count = 1, timeoutMs?: number): Promise<ServiceObject> {
  return waitFor(
    `Service ${ns}/${name} to be allocated`,
    async () => {
      const svc = await getService(api, ns, name);
      return allocatedCondition(svc)?.reason === 'Allocated' && ingressIps(svc).length === count ? svc : undefined;
    },
    timeoutMs,
  );
}

export interface EventView {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count?: number;
  readonly series?: { readonly count?: number };
  readonly involvedObject: { readonly kind: string; readonly name: string };
}

export async function listEvents(api: KubeClient, ns: string, name?: string): Promise<EventView[]> {
  const selector = name === undefined ? '' : `?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`;
  const body = expectOk(await api.get(`/api/v1/namespaces/${ns}/events${selector}`), `list Events in ${ns}`) as { items: EventView[] };
  return body.items;
}

/** Waits until an Event with this reason exists for the object; returns all its Events. */
export function waitForEvent(api: KubeClient, ns: string, name: string, reason: string, timeoutMs?: number): Promise<EventView[]> {
  return waitFor(
    `an Event ${reason} for ${ns}/${name}`,
    async () => {
      const events = await listEvents(api, ns, name);
      return events.some((e) => e.reason === reason) ? events : undefined;
    },
    timeoutMs,
  );
}
