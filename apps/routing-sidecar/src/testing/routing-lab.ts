// Virtual addresses routed end to end, in a lab of network namespaces: a real API server, the
// allocator, a node agent and a routing sidecar (with its BIRD) in every node namespace, an upstream
// router running BIRD (configured here, by the test) that peers with every node, and a remote client
// behind the router on another subnet, which reaches a virtual address only through the routes the
// router learned by BGP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAllocatorProcess } from '@purelb/allocator/testing';
import type { AllocatorProcess } from '@purelb/allocator/testing';
import { startAgentProcess } from '@purelb/lbnodeagent/testing';
import type { AgentProcess } from '@purelb/lbnodeagent/testing';
import { createKubeClient, createTestNamespace, expectOk, loadKubeConfig, waitFor } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { createLab } from '@purelb/test-lab';
import type { Lab, LabNode } from '@purelb/test-lab';
import { createLabRouter, renderRouterConfig } from './lab-router.ts';
import type { LabRouter, RouterRoute, RouterTimers } from './lab-router.ts';
import { startSidecarProcess } from './sidecar-process.ts';
import type { SidecarProcess } from './sidecar-process.ts';

/** BGP timers tuned for the lab (seconds); production keeps BIRD's defaults (240/80/120/5/60..300). */
export const LAB_TIMERS: RouterTimers = {
  hold: 3,
  keepalive: 1,
  connectRetry: 1,
  connectDelay: 1,
  errorWait: 1,
  errorWaitMax: 2,
};
export const ROUTER_ASN = 64500;
export const CLUSTER_ASN = 64512;

/**
 * Pools of virtual addresses (on no lab segment, so every node treats them as virtual):
 * `aggregated` puts each address on kube-lb0 as part of a /24 (one route for the pool's subnet),
 * `host` as a /32 or /128 (one route per address).
 */
export const ROUTING_GROUPS = {
  aggregated: { v4pools: [{ pool: '198.51.100.16-198.51.100.31', subnet: '198.51.100.0/24', aggregation: '/24' }] },
  host: {
    v4pools: [{ pool: '198.51.100.128/26', subnet: '198.51.100.0/24', aggregation: '/32' }],
    v6pools: [{ pool: '2001:db8:100::1:0/112', subnet: '2001:db8:100::/64', aggregation: '/128' }],
  },
} as const;

/** The routing input of the lab: both of the router's addresses on LAN 1 as peers, lab timers. */
export function labRoutingYaml(overrides: { readonly communities?: readonly string[] } = {}): string {
  const t = LAB_TIMERS;
  return [
    `localASN: ${CLUSTER_ASN}`,
    'routerID: hostIP',
    'interface: kube-lb0',
    `communities: [${(overrides.communities ?? [`${CLUSTER_ASN}:100`]).map((c) => `"${c}"`).join(', ')}]`,
    `timers: { hold: ${t.hold}, keepalive: ${t.keepalive}, connectRetry: ${t.connectRetry}, connectDelay: ${t.connectDelay}, errorWait: ${t.errorWait}, errorWaitMax: ${t.errorWaitMax} }`,
    'peers:',
    `  - { address: 192.0.2.1, asn: ${ROUTER_ASN} }`,
    `  - { address: "2001:db8:1::1", asn: ${ROUTER_ASN} }`,
    '',
  ].join('\n');
}

export interface RoutingLabOptions {
  readonly kubeconfigPath: string;
  readonly nodes?: number;
  readonly logDir?: string;
}

export interface RoutingLab {
  readonly api: KubeClient;
  readonly ns: string;
  readonly lab: Lab;
  readonly router: LabRouter;
  readonly allocator: AllocatorProcess;
  readonly agents: Map<string, AgentProcess>;
  readonly sidecars: Map<string, SidecarProcess>;
  /** Starts (or restarts) the sidecar of a node; resolves when it applied a configuration. */
  startSidecar(node: LabNode): Promise<SidecarProcess>;
  /** Creates or replaces the routing ConfigMap's `routing.yaml`. */
  putRoutingConfig(yaml: string): Promise<void>;
  /** A LoadBalancer Service of our class in a group of `ROUTING_GROUPS`; resolves with its addresses. */
  createService(
    name: string,
    shape: {
      readonly group: keyof typeof ROUTING_GROUPS;
      readonly families?: readonly ('IPv4' | 'IPv6')[];
      readonly trafficPolicy?: 'Cluster' | 'Local';
    },
  ): Promise<string[]>;
  deleteService(name: string): Promise<void>;
  /** Puts the Service's (only) EndpointSlice: one ready endpoint on each of these nodes. */
  setEndpoints(service: string, nodes: readonly LabNode[]): Promise<void>;
  /** The router's route to `dst` (with prefix), or undefined. */
  routeTo(dst: string): Promise<RouterRoute | undefined>;
  /** Waits until the router's next hops for `dst` satisfy `match` ([] = no route); returns them. */
  waitForRoute(dst: string, match: (via: readonly string[]) => boolean, what: string): Promise<readonly string[]>;
  /** TCP connect from the remote client to `address:8080`: the name of the node that answered, or undefined. */
  connectFromRemote(address: string): Promise<string | undefined>;
  /** The IPv4 (or IPv6) LAN address of a node: the router's next hop towards it. */
  nextHop(node: LabNode, family?: 'IPv4' | 'IPv6'): string;
  close(): Promise<void>;
}

const LISTENER = `
import { createServer } from 'node:net';
createServer((s) => { s.end(process.argv[2] + '\\n'); s.on('error', () => {}); }).listen({ port: 8080, host: '::', ipv6Only: false });
`;
const CONNECT = `
import { connect } from 'node:net';
const s = connect({ host: process.argv[2], port: 8080, timeout: 1000 });
let data = '';
s.on('data', (d) => { data += d; });
s.on('end', () => { process.stdout.write(data); process.exit(0); });
s.on('timeout', () => process.exit(3));
s.on('error', () => process.exit(4));
`;

export async function startRoutingLab(options: RoutingLabOptions): Promise<RoutingLab> {
  const kc = loadKubeConfig(options.kubeconfigPath);
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('the kubeconfig names no cluster');
  const api = await createKubeClient(kc, { maxSockets: 8 });
  const ns = await createTestNamespace(kc, 'routing-lab');
  for (const [name, local] of Object.entries(ROUTING_GROUPS)) {
    expectOk(
      await api.post(`/apis/purelb.io/v1/namespaces/${ns}/servicegroups`, {
        apiVersion: 'purelb.io/v1',
        kind: 'ServiceGroup',
        metadata: { name, namespace: ns },
        spec: { local },
      }),
      `create ServiceGroup ${name}`,
    );
  }
  expectOk(
    await api.post(`/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents`, {
      apiVersion: 'purelb.io/v1',
      kind: 'LBNodeAgent',
      metadata: { name: 'default', namespace: ns },
      spec: { local: { localint: '^eth[0-9]+$', extlbint: 'kube-lb0', sendgarp: false } },
    }),
    'create LBNodeAgent',
  );
  const lab = await createLab({ nodes: options.nodes ?? 3, router: true, apiServer: server });
  const dir = mkdtempSync(join(tmpdir(), 'purelb-routing-lab-'));
  writeFileSync(join(dir, 'listener.mjs'), LISTENER);
  writeFileSync(join(dir, 'connect.mjs'), CONNECT);
  for (const node of lab.nodes)
    lab.spawnIn(node, [process.execPath, join(dir, 'listener.mjs'), node.name], { stdio: 'ignore' });
  const logFile = (name: string): { logFile: string } | object =>
    options.logDir === undefined ? {} : { logFile: join(options.logDir, `${name}.log`) };

  const peers = lab.nodes.flatMap((n) => [n.ipv4, n.ipv6].map((address) => ({ address, asn: CLUSTER_ASN })));
  const router = createLabRouter(lab, {
    dir: join(dir, 'router'),
    config: renderRouterConfig({ routerId: '192.0.2.1', asn: ROUTER_ASN, peers, timers: LAB_TIMERS }),
  });
  await router.start();

  const allocator = startAllocatorProcess({
    kubeconfigPath: options.kubeconfigPath,
    namespace: ns,
    identity: `allocator-${lab.id}`,
    leadership: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 },
    extraArgs: ['--default-class=false'],
    ownProcessGroup: false,
    ...logFile('allocator'),
  });
  const agents = new Map<string, AgentProcess>();
  await Promise.all(
    lab.nodes.map(async (node) => {
      const agent = startAgentProcess({
        nodeName: node.name,
        kubeconfigPath: options.kubeconfigPath,
        namespace: ns,
        // This kernel may lack the dummy driver: ifb is the same kind of pseudo interface.
        extraArgs: ['--default-class=false', '--link-kind', 'ifb'],
        spawn: (argv) => lab.spawnIn(node, argv, { stdio: ['ignore', 'pipe', 'pipe'] }),
        ...logFile(`agent-${node.index}`),
      });
      agents.set(node.name, agent);
      await agent.waitForLog((l) => l.event === 'ready');
    }),
  );

  const configMapPath = `/api/v1/namespaces/${ns}/configmaps`;
  const putRoutingConfig = async (yaml: string): Promise<void> => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'purelb-routing', namespace: ns },
      data: { 'routing.yaml': yaml },
    };
    const existing = await api.get(`${configMapPath}/purelb-routing`);
    expectOk(
      existing.status === 200
        ? await api.put(`${configMapPath}/purelb-routing`, body)
        : await api.post(configMapPath, body),
      'put the routing ConfigMap',
    );
  };
  await putRoutingConfig(labRoutingYaml());

  const sidecars = new Map<string, SidecarProcess>();
  const startSidecar = async (node: LabNode): Promise<SidecarProcess> => {
    const sidecar = startSidecarProcess({
      nodeName: node.name,
      kubeconfigPath: options.kubeconfigPath,
      namespace: ns,
      hostIp: node.ipv4,
      runDir: join(dir, `node-${node.index}`),
      logLevel: 'debug',
      spawn: (argv) => lab.spawnIn(node, argv, { stdio: ['ignore', 'pipe', 'pipe'] }),
      ...logFile(`sidecar-${node.index}`),
    });
    sidecars.set(node.name, sidecar);
    await sidecar.waitForLog((l) => l.event === 'routing-config-applied');
    return sidecar;
  };
  await Promise.all(lab.nodes.map(startSidecar));

  const routeTo = async (dst: string): Promise<RouterRoute | undefined> =>
    (await router.routes()).find((r) => r.dst === dst);
  const servicesPath = `/api/v1/namespaces/${ns}/services`;
  return {
    api,
    ns,
    lab,
    router,
    allocator,
    agents,
    sidecars,
    startSidecar,
    putRoutingConfig,
    createService: async (name, shape) => {
      const families = shape.families ?? ['IPv4'];
      const body = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: ns, annotations: { 'purelb.io/service-group': shape.group } },
        spec: {
          type: 'LoadBalancer',
          loadBalancerClass: 'purelb.io/purelb',
          selector: { app: name },
          ports: [{ name: 'tcp', port: 8080, protocol: 'TCP', targetPort: 8080 }],
          allocateLoadBalancerNodePorts: false,
          externalTrafficPolicy: shape.trafficPolicy ?? 'Cluster',
          ipFamilies: families,
          ipFamilyPolicy: families.length > 1 ? 'RequireDualStack' : 'SingleStack',
        },
      };
      expectOk(await api.post(servicesPath, body), `create Service ${name}`);
      return waitFor(`Service ${name} to get ${families.length} address(es)`, async () => {
        const r = await api.get(`${servicesPath}/${name}`);
        const ingress =
          (r.body as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }).status?.loadBalancer?.ingress ??
          [];
        const ips = ingress.flatMap((e) => (e.ip === undefined ? [] : [e.ip]));
        return ips.length === families.length ? ips : undefined;
      });
    },
    deleteService: async (name) => {
      expectOk(await api.delete(`${servicesPath}/${name}`), `delete Service ${name}`);
    },
    setEndpoints: async (service, nodes) => {
      const path = `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
      const body = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${service}-1`, namespace: ns, labels: { 'kubernetes.io/service-name': service } },
        addressType: 'IPv4',
        ports: [{ name: 'tcp', port: 8080, protocol: 'TCP' }],
        endpoints: nodes.map((n, i) => ({
          addresses: [`10.1.0.${i + 1}`],
          nodeName: n.name,
          conditions: { ready: true, serving: true },
        })),
      };
      const existing = await api.get(`${path}/${service}-1`);
      expectOk(
        existing.status === 200 ? await api.put(`${path}/${service}-1`, body) : await api.post(path, body),
        `put EndpointSlice ${service}-1`,
      );
    },
    routeTo,
    waitForRoute: (dst, match, what) =>
      waitFor(`the router's route to ${dst}: ${what}`, async () => {
        const via = (await routeTo(dst))?.via ?? [];
        return match(via) ? via : undefined;
      }),
    connectFromRemote: async (address) => {
      const remote = lab.remoteClient;
      if (remote === undefined) throw new Error('the lab has no remote client');
      const r = await lab.exec(remote, [process.execPath, join(dir, 'connect.mjs'), address]);
      return r.code === 0 ? r.stdout.trim() : undefined;
    },
    nextHop: (node, family = 'IPv4') => (family === 'IPv4' ? node.ipv4 : node.ipv6),
    close: async () => {
      await Promise.all([...sidecars.values()].map((s) => s.stop('SIGTERM', 5000)));
      await Promise.all([...agents.values()].map((a) => a.stop('SIGTERM', 5000)));
      await allocator.stop();
      await lab.destroy();
      rmSync(dir, { recursive: true, force: true });
      api.close();
    },
  };
}
