// Objects, views and waits for the allocator's integration tests, bound to one install namespace
// (ServiceGroups, the Lease) and one namespace for Services.
import { join } from 'node:path';
import { createKubeClient, expectOk, testNamespaceName, waitFor, waitUntil } from '@purelb/test-control-plane';
import type { KubeClient, Probe } from '@purelb/test-control-plane';
import { COMPONENT } from '../constants.ts';
import type { ServiceObject } from '../kube-objects.ts';
import { startAllocatorProcess } from './allocator-process.ts';
import type { AllocatorProcess } from './allocator-process.ts';

/** A REST client for the tests that rides out an API server restart (connection failures and 503s, for 20 s). */
export function createTestApi(kubeconfigPath: string): Promise<KubeClient> {
  return createKubeClient(kubeconfigPath, { retry: { attempts: 100, intervalMs: 200 } });
}

export interface TestAllocatorOptions {
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly identity: string;
  readonly extraArgs?: readonly string[];
  /** Options for Node itself, e.g. `--import` of a test module. */
  readonly nodeArgs?: readonly string[];
}

/** Leadership timings of the tests: a 3 s Lease, renew deadline 2 s, retry every 0.3 s. */
export const TEST_LEADERSHIP = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 } as const;

/**
 * The allocator as these tests run it: debug logs, `TEST_LEADERSHIP`, in the test's process group.
 * Set PURELB_TEST_LOG_DIR to keep each allocator's output in `<dir>/<identity>.log` for a look after the run.
 */
export function spawnAllocator(options: TestAllocatorOptions): AllocatorProcess {
  const logDir = process.env['PURELB_TEST_LOG_DIR'];
  return startAllocatorProcess({
    kubeconfigPath: options.kubeconfigPath,
    namespace: options.namespace,
    identity: options.identity,
    logLevel: 'debug',
    leadership: TEST_LEADERSHIP,
    ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
    ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
    ...(logDir === undefined || logDir === '' ? {} : { logFile: join(logDir, `${options.identity}.log`) }),
    ownProcessGroup: false,
  });
}

export async function createNamespace(api: KubeClient, prefix: string): Promise<string> {
  const name = testNamespaceName(prefix);
  expectOk(
    await api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'purelb.io/test': 'true' } },
    }),
    `create namespace ${name}`,
  );
  return name;
}

/** One pool entry of a ServiceGroup spec. */
export interface PoolEntry {
  readonly pool: string;
  readonly subnet: string;
  readonly aggregation?: string;
  readonly avoidBuggyIPs?: boolean;
  readonly exclude?: readonly string[];
}

export interface Pools {
  readonly v4pools?: readonly PoolEntry[];
  readonly v6pools?: readonly PoolEntry[];
}

export const groupsPath = (ns: string): string => `/apis/purelb.io/v1/namespaces/${ns}/servicegroups`;
export const servicesPath = (ns: string): string => `/api/v1/namespaces/${ns}/services`;

export interface GroupView {
  readonly metadata?: { readonly generation?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly v4?: { capacity?: string; allocated?: string; available?: string };
    readonly v6?: { capacity?: string; allocated?: string; available?: string };
    readonly usage?: { v4?: string; v6?: string };
    readonly conditions?: readonly { type: string; status: string; reason: string; message: string }[];
  };
}

export const readyCondition = (g: GroupView | undefined) => g?.status?.conditions?.find((c) => c.type === 'Ready');

export interface ServiceShape {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly type?: string;
  readonly loadBalancerClass?: string;
  readonly loadBalancerIP?: string;
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  readonly ports?: readonly { port: number; protocol?: string }[];
}

export function serviceBody(ns: string, name: string, shape: ServiceShape = {}): unknown {
  const type = shape.type ?? 'LoadBalancer';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, ...(shape.annotations === undefined ? {} : { annotations: shape.annotations }) },
    spec: {
      type,
      selector: { app: name },
      ports: (shape.ports ?? [{ port: 80 }]).map((p, i) => ({
        name: `p${i}`,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
        targetPort: p.port,
      })),
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: false } : {}),
      ...(shape.loadBalancerClass === undefined ? {} : { loadBalancerClass: shape.loadBalancerClass }),
      ...(shape.loadBalancerIP === undefined ? {} : { loadBalancerIP: shape.loadBalancerIP }),
      ...(shape.ipFamilies === undefined ? {} : { ipFamilies: shape.ipFamilies }),
      ...(shape.ipFamilyPolicy === undefined ? {} : { ipFamilyPolicy: shape.ipFamilyPolicy }),
    },
  };
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
  return (svc?.status?.conditions ?? []).find(
    (c): c is ConditionView => (c as ConditionView | undefined)?.type === 'purelb.io/Allocated',
  );
}

/** `ip,ip reason` of a Service, e.g. `192.0.2.10 Allocated`, for wait messages and compact assertions. */
export function describeService(svc: ServiceObject | undefined): string {
  if (svc === undefined) return 'absent';
  return `${ingressIps(svc).join(',') || '-'} ${allocatedCondition(svc)?.reason ?? 'no condition'}`;
}

export interface EventView {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count?: number;
  readonly series?: { readonly count?: number };
  readonly involvedObject: { readonly kind: string; readonly name: string };
  readonly reportingComponent?: string;
}

/** How long a wait may take; the scene caps it to what is left of the current test. */
export type WaitBudget = (wantedMs?: number) => number;

export interface WaitOptions {
  readonly timeoutMs?: number;
}

/** The Kubernetes side of a test: one install namespace (groups) and one namespace (Services). */
export interface TestCluster {
  readonly api: KubeClient;
  readonly install: string;
  readonly ns: string;
  createGroup(name: string, pools: Pools): Promise<void>;
  getGroup(name: string): Promise<GroupView | undefined>;
  /** Merge-patches a group's spec.local (e.g. to shrink a pool). */
  patchGroupPools(name: string, pools: Pools): Promise<void>;
  deleteGroup(name: string): Promise<void>;
  waitForGroup(name: string, what: string, pred: (g: GroupView) => boolean): Promise<GroupView>;
  createService(name: string, shape?: ServiceShape): Promise<void>;
  getService(name: string): Promise<ServiceObject | undefined>;
  listServices(): Promise<ServiceObject[]>;
  patchService(name: string, patch: unknown): Promise<void>;
  deleteService(name: string): Promise<void>;
  /** Deletes every Service of `ns`, so that later allocators on a shared control plane do not import them. */
  deleteAllServices(): Promise<void>;
  /**
   * The allocator's Events of an object in `ns` (or in the install namespace for ServiceGroups, with
   * `{ install: true }`). The API server posts some of its own (its Cluster IP repair loop does when
   * it races a Service's creation): those are not the allocator's and are left out.
   */
  listEvents(name?: string, where?: { readonly install: boolean }): Promise<EventView[]>;
  /** Waits until the Service shows `count` (default 1) addresses with reason Allocated. */
  waitForAllocated(name: string, options?: WaitOptions & { readonly count?: number }): Promise<ServiceObject>;
  /** Waits until the Service's condition has the reason. */
  waitForReason(name: string, reason: string, options?: WaitOptions): Promise<ServiceObject>;
  /** Waits until an Event with this reason exists for the object; returns all its Events. */
  waitForEvent(name: string, reason: string, where?: { readonly install: boolean }): Promise<EventView[]>;
  /** `waitFor` of `@purelb/test-control-plane`, capped to what is left of the current test. */
  waitFor<T>(
    what: string,
    probe: () => T | Promise<T>,
    options?: WaitOptions & { readonly intervalMs?: number },
  ): Promise<Exclude<T, undefined | null | false>>;
}

export function bindTestCluster(
  api: KubeClient,
  where: { readonly install: string; readonly ns: string; readonly budget: WaitBudget },
): TestCluster {
  const { install, ns, budget } = where;
  const capped = <T>(
    what: string,
    probe: () => T | Promise<T>,
    options: WaitOptions & { readonly intervalMs?: number } = {},
  ) =>
    waitFor(what, probe, {
      timeoutMs: budget(options.timeoutMs),
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    });
  const getService = async (name: string): Promise<ServiceObject | undefined> => {
    const r = await api.get(`${servicesPath(ns)}/${name}`);
    return r.status === 200 ? (r.body as ServiceObject) : undefined;
  };
  const getGroup = async (name: string): Promise<GroupView | undefined> => {
    const r = await api.get(`${groupsPath(install)}/${name}`);
    return r.status === 200 ? (r.body as GroupView) : undefined;
  };
  const listServices = async (): Promise<ServiceObject[]> =>
    (expectOk(await api.get(servicesPath(ns)), `list Services in ${ns}`) as { items: ServiceObject[] }).items;
  const deleteService = async (name: string): Promise<void> => {
    expectOk(await api.delete(`${servicesPath(ns)}/${name}`), `delete Service ${ns}/${name}`);
  };
  const listEvents = async (name?: string, scope?: { readonly install: boolean }): Promise<EventView[]> => {
    const namespace = scope?.install === true ? install : ns;
    const selector = name === undefined ? '' : `?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`;
    return (
      expectOk(await api.get(`/api/v1/namespaces/${namespace}/events${selector}`), `list Events in ${namespace}`) as {
        items: EventView[];
      }
    ).items.filter((e) => e.reportingComponent === COMPONENT);
  };
  /** Waits until `look` is done; when it gives up, its message says what was last seen. */
  const until = <T>(what: string, look: () => Promise<Probe<T>>, options: WaitOptions = {}): Promise<T> =>
    waitUntil(look, { what, timeoutMs: budget(options.timeoutMs) });
  const serviceWait = (
    name: string,
    want: { readonly what: string; readonly pred: (svc: ServiceObject) => boolean },
    options: WaitOptions = {},
  ): Promise<ServiceObject> =>
    until(
      `Service ${ns}/${name} ${want.what}`,
      async () => {
        const svc = await getService(name);
        return svc !== undefined && want.pred(svc)
          ? { kind: 'done', value: svc }
          : { kind: 'pending', reason: `it shows ${describeService(svc)}` };
      },
      options,
    );
  return {
    api,
    install,
    ns,
    createGroup: async (name, pools) => {
      expectOk(
        await api.post(groupsPath(install), {
          apiVersion: 'purelb.io/v1',
          kind: 'ServiceGroup',
          metadata: { name, namespace: install },
          spec: { local: pools },
        }),
        `create ServiceGroup ${name}`,
      );
    },
    getGroup,
    patchGroupPools: async (name, pools) => {
      expectOk(
        await api.patch(`${groupsPath(install)}/${name}`, { spec: { local: pools } }),
        `patch ServiceGroup ${name}`,
      );
    },
    deleteGroup: async (name) => {
      expectOk(await api.delete(`${groupsPath(install)}/${name}`), `delete ServiceGroup ${name}`);
    },
    waitForGroup: (name, what, pred) =>
      until(`ServiceGroup ${name}: ${what}`, async () => {
        const g = await getGroup(name);
        return g !== undefined && pred(g)
          ? { kind: 'done', value: g }
          : { kind: 'pending', reason: `its status is ${JSON.stringify(g?.status)}` };
      }),
    createService: async (name, shape = {}) => {
      expectOk(await api.post(servicesPath(ns), serviceBody(ns, name, shape)), `create Service ${ns}/${name}`);
    },
    getService,
    listServices,
    patchService: async (name, patch) => {
      expectOk(await api.patch(`${servicesPath(ns)}/${name}`, patch), `patch Service ${ns}/${name}`);
    },
    deleteService,
    deleteAllServices: async () => {
      for (const s of await listServices()) await deleteService(s.metadata?.name ?? '');
    },
    listEvents,
    waitForAllocated: (name, options = {}) => {
      const count = options.count ?? 1;
      const what = `to be allocated (${count} address${count === 1 ? '' : 'es'})`;
      return serviceWait(
        name,
        { what, pred: (svc) => allocatedCondition(svc)?.reason === 'Allocated' && ingressIps(svc).length === count },
        options,
      );
    },
    waitForReason: (name, reason, options) =>
      serviceWait(
        name,
        { what: `to have reason ${reason}`, pred: (svc) => allocatedCondition(svc)?.reason === reason },
        options,
      ),
    waitForEvent: (name, reason, scope) =>
      until(`an Event ${reason} for ${name}`, async () => {
        const events = await listEvents(name, scope);
        return events.some((e) => e.reason === reason)
          ? { kind: 'done', value: events }
          : { kind: 'pending', reason: `its Events are ${events.map((e) => e.reason).join(', ') || 'none'}` };
      }),
    waitFor: capped,
  };
}
