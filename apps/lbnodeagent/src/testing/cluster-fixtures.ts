// Objects and polling for the agent's integration tests against a real API server: Services as the
// allocator leaves them, EndpointSlices, the LBNodeAgent, and in-process agents on fake kernels.
import type { KubeConfig } from '@kubernetes/client-node';
import { expectOk, waitFor } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { connectCluster } from '../agent-cluster.ts';
import { startNodeAgent } from '../node-agent.ts';
import type { NodeAgent } from '../node-agent.ts';
import type { AgentOptions } from '../options.ts';
import { createFakeNetwork } from './fake-network.ts';
import type { FakeNetwork, FakeNetworkOptions } from './fake-network.ts';

export const servicesPath = (ns: string): string => `/api/v1/namespaces/${ns}/services`;

/** Where a test works: its API client and namespace. */
export interface Place {
  readonly api: KubeClient;
  readonly ns: string;
}

export interface OwnedService {
  readonly addresses: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly trafficPolicy?: 'Cluster' | 'Local';
  readonly group?: string;
}

/** Creates a LoadBalancer Service and gives it addresses as the allocator would (annotations, then ingress). */
export async function createOwnedService({ api, ns }: Place, name: string, s: OwnedService): Promise<void> {
  const annotations = {
    'purelb.io/allocated-by': 'PureLB',
    'purelb.io/allocated-from': s.group ?? 'default',
    'purelb.io/pool-type': 'local',
    ...s.annotations,
  };
  const families = s.addresses.map((a) => (a.includes(':') ? 'IPv6' : 'IPv4'));
  const body = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, annotations },
    spec: {
      type: 'LoadBalancer',
      // Our class: the agents under test run with --default-class=false, so Services other test files
      // left on the shared control plane (no class) are not theirs.
      loadBalancerClass: 'purelb.io/purelb',
      selector: { app: name },
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }],
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: s.trafficPolicy ?? 'Cluster',
      ipFamilies: families.length > 0 ? families : ['IPv4'],
      ipFamilyPolicy: families.length > 1 ? 'RequireDualStack' : 'SingleStack',
    },
  };
  expectOk(await api.post(servicesPath(ns), body), `create Service ${ns}/${name}`);
  await setIngress({ api, ns }, name, s.addresses);
}

export async function setIngress({ api, ns }: Place, name: string, addresses: readonly string[]): Promise<void> {
  const ingress = addresses.length === 0 ? null : addresses.map((ip) => ({ ip, ipMode: 'VIP' }));
  expectOk(
    await api.patch(`${servicesPath(ns)}/${name}/status`, { status: { loadBalancer: { ingress } } }),
    `set ingress of ${ns}/${name}`,
  );
}

export interface ServiceView {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
  readonly status?: {
    readonly conditions?: readonly { type: string; status: string; reason: string; message: string }[];
  };
}

export async function getService({ api, ns }: Place, name: string): Promise<ServiceView | undefined> {
  const r = await api.get(`${servicesPath(ns)}/${name}`);
  return r.status === 200 ? (r.body as ServiceView) : undefined;
}

export function announced(
  svc: ServiceView | undefined,
): { status: string; reason: string; message: string } | undefined {
  return svc?.status?.conditions?.find((c) => c.type === 'purelb.io/Announced');
}

/** Creates (or replaces) the EndpointSlice `<service>-1` with endpoints on the given nodes. */
export async function setEndpoints(
  { api, ns }: Place,
  service: string,
  nodes: readonly { node: string; ready: boolean }[],
): Promise<void> {
  const path = `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
  await api.delete(`${path}/${service}-1`);
  const body = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-1`, namespace: ns, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: nodes.map((n, i) => ({
      addresses: [`10.0.0.${i + 1}`],
      nodeName: n.node,
      conditions: { ready: n.ready, serving: n.ready },
    })),
  };
  expectOk(await api.post(path, body), `create EndpointSlice for ${ns}/${service}`);
}

export async function putAgentConfig({ api, ns }: Place, local: Record<string, unknown>): Promise<void> {
  const path = `/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents`;
  const body = {
    apiVersion: 'purelb.io/v1',
    kind: 'LBNodeAgent',
    metadata: { name: 'default', namespace: ns },
    spec: { local },
  };
  const existing = await api.get(`${path}/default`);
  if (existing.status === 200) expectOk(await api.patch(`${path}/default`, { spec: { local } }), 'patch LBNodeAgent');
  else expectOk(await api.post(path, body), 'create LBNodeAgent');
}

export interface InProcessAgent {
  readonly node: string;
  readonly network: FakeNetwork;
  readonly agent: NodeAgent;
}

export interface InProcessAgentOptions {
  readonly kubeConfig: KubeConfig;
  readonly ns: string;
  readonly node: string;
  /** Picks the node's own addresses (`192.0.2.<10 + index>`). */
  readonly index: number;
  /** Instead of `eth0` on the LAN. */
  readonly network?: FakeNetworkOptions;
}

/** An agent in this process on a fake kernel with `eth0` on the lab LAN (192.0.2.0/24, 2001:db8:1::/64). */
export function startInProcessAgent({ kubeConfig, ns, node, index, network }: InProcessAgentOptions): InProcessAgent {
  const fake = createFakeNetwork(
    network ?? {
      links: [{ name: 'eth0', addresses: [`192.0.2.${10 + index}/24`, `2001:db8:1::${10 + index}/64`] }],
      defaultRoutes: { IPv4: ['eth0'], IPv6: ['eth0'] },
    },
  );
  const options: AgentOptions = {
    kubeconfig: { kind: 'in-cluster' },
    nodeName: node,
    namespace: ns,
    defaultClass: false,
    leaseDurationMs: 3000,
    linkKind: 'dummy',
    listen: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
  };
  const level = process.env['PURELB_TEST_LOG_DIR'] === undefined ? 'silent' : 'debug';
  const agent = startNodeAgent({
    cluster: connectCluster(kubeConfig, 3000),
    network: fake,
    options,
    logger: createLogger(level, node),
    metrics: createMetrics({ processMetrics: false }),
  });
  return { node, network: fake, agent };
}

/** The nodes whose fake kernel holds the address as ours, with where: `node address/prefix@iface`. */
export function holders(agents: readonly InProcessAgent[], address: string): string[] {
  return agents.flatMap((a) =>
    a.network
      .ours()
      .filter((o) => o.startsWith(`${address}/`))
      .map((o) => `${a.node} ${o}`),
  );
}

export function waitForHolders(
  agents: readonly InProcessAgent[],
  address: string,
  until: { match: (h: string[]) => boolean; what: string },
): Promise<string[]> {
  const { match, what } = until;
  return waitFor(`${what} (${address})`, () => {
    const h = holders(agents, address);
    return match(h) ? h : undefined;
  });
}
