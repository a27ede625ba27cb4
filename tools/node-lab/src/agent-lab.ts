// The whole picture for the lab's integration tests and the benchmark: a real API server, the
// allocator as a process, node namespaces with an agent process each, a client namespace, and
// helpers that look at the real kernel (addresses, routes, neighbours) and at TCP reachability.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAllocatorProcess } from '@purelb/allocator/testing';
import type { AllocatorProcess } from '@purelb/allocator/testing';
import { createKubeClient, createTestNamespace, expectOk, loadKubeConfig, waitFor } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { createLab } from '@purelb/test-lab';
import type { Lab, LabHost, LabNode } from '@purelb/test-lab';
import { startAgentProcess } from '@purelb/lbnodeagent/testing';
import type { AgentProcess, AgentProcessOptions } from '@purelb/lbnodeagent/testing';

export interface AgentLabOptions {
  readonly kubeconfigPath: string;
  readonly nodes: number;
  /** Nodes (1-based) that are on the second LAN only (their first LAN addresses are removed). */
  readonly secondLanOnly?: readonly number[];
  readonly logDir?: string;
  readonly logLevel?: 'debug' | 'info';
  /** Start an agent on every node at once (default true); otherwise `startAgent` does it. */
  readonly startAgents?: boolean;
  /** How the agents run: default their TypeScript sources; a benchmark runs the built ones as the image does. */
  readonly agentProcess?: Pick<AgentProcessOptions, 'mainPath' | 'nodeArgs' | 'sourceCondition'>;
}

export interface AgentLab {
  readonly api: KubeClient;
  /** The install namespace (ServiceGroups, LBNodeAgent, Leases) and where test Services go. */
  readonly ns: string;
  readonly lab: Lab;
  readonly allocator: AllocatorProcess;
  /** The running agent of each node, by node name. */
  readonly agents: Map<string, AgentProcess>;
  /** Starts (or restarts) the agent of a node and waits until it is ready. */
  startAgent(node: LabNode): Promise<AgentProcess>;
  /** The nodes holding the address: `node iface/prefix`, sorted. */
  holders(address: string): Promise<string[]>;
  /** Waits until `match(holders)`; returns them. */
  waitForHolders(
    address: string,
    until: { readonly match: (h: string[]) => boolean; readonly what: string },
  ): Promise<string[]>;
  /** TCP connect from the client to `address:8080`; the name of the node that answered, or undefined. */
  connect(address: string): Promise<string | undefined>;
  /** The client's neighbour entry for the address (MAC), if any. */
  neighbourMac(address: string): Promise<string | undefined>;
  /** Kernel routes of a node on an interface, as `ip route` prints them. */
  routes(node: LabHost, iface: string): Promise<string[]>;
  /** The Prometheus text of the node's agent (`/metrics`, fetched inside the node); empty when it has none. */
  metrics(node: LabNode): Promise<string>;
  close(): Promise<void>;
}

const LISTENER = `
import { createServer } from 'node:net';
const name = process.argv[2];
createServer((s) => { s.end(name + '\\n'); s.on('error', () => {}); }).listen({ port: 8080, host: '::', ipv6Only: false });
`;
const CONNECT = `
import { connect } from 'node:net';
const s = connect({ host: process.argv[2], port: 8080, timeout: 700 });
let data = '';
s.on('data', (d) => { data += d; });
s.on('end', () => { process.stdout.write(data); process.exit(0); });
s.on('timeout', () => process.exit(3));
s.on('error', () => process.exit(4));
`;

interface IpAddressJson {
  readonly ifname: string;
  readonly addr_info: readonly { readonly local: string; readonly prefixlen: number }[];
}

export const SERVICE_GROUPS = {
  default: {
    v4pools: [{ pool: '192.0.2.128/26', subnet: '192.0.2.0/24' }],
    v6pools: [{ pool: '2001:db8:1::1:0/112', subnet: '2001:db8:1::/64' }],
  },
  lan2: { v4pools: [{ pool: '198.51.100.128/26', subnet: '198.51.100.0/24' }] },
  virtual: {
    v4pools: [{ pool: '203.0.113.128/26', subnet: '203.0.113.0/24', aggregation: 'default' }],
    v6pools: [{ pool: '2001:db8:3::1:0/112', subnet: '2001:db8:3::/64', aggregation: '/120' }],
  },
} as const;

export async function startAgentLab(options: AgentLabOptions): Promise<AgentLab> {
  const kc = loadKubeConfig(options.kubeconfigPath);
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('the kubeconfig names no cluster');
  const api = await createKubeClient(kc, { maxSockets: 8 });
  const ns = await createTestNamespace(kc, 'lbna-lab');
  for (const [name, local] of Object.entries(SERVICE_GROUPS)) {
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
  // The lab has no default routes: local addresses go on the first eth interface with an address.
  expectOk(
    await api.post(`/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents`, {
      apiVersion: 'purelb.io/v1',
      kind: 'LBNodeAgent',
      metadata: { name: 'default', namespace: ns },
      spec: { local: { localint: '^eth[0-9]+$', extlbint: 'kube-lb0', sendgarp: true } },
    }),
    'create LBNodeAgent',
  );
  const secondLan = options.secondLanOnly ?? [];
  const lab = await createLab({ nodes: options.nodes, secondLan, apiServer: server });
  const scripts = mkdtempSync(join(tmpdir(), 'purelb-agent-lab-'));
  writeFileSync(join(scripts, 'listener.mjs'), LISTENER);
  writeFileSync(join(scripts, 'connect.mjs'), CONNECT);
  for (const index of secondLan) {
    const node = lab.nodes[index - 1];
    if (node === undefined) continue;
    for (const family of ['-4', '-6'])
      await lab.exec(node, ['ip', family, 'addr', 'flush', 'dev', 'eth0', 'scope', 'global']);
  }
  for (const node of lab.nodes)
    lab.spawnIn(node, [process.execPath, join(scripts, 'listener.mjs'), node.name], { stdio: 'ignore' });

  const logFile = (name: string): { logFile: string } | object =>
    options.logDir === undefined ? {} : { logFile: join(options.logDir, `${name}.log`) };
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

  const startAgent = async (node: LabNode): Promise<AgentProcess> => {
    const agent = startAgentProcess({
      nodeName: node.name,
      kubeconfigPath: options.kubeconfigPath,
      namespace: ns,
      logLevel: options.logLevel ?? 'debug',
      // This kernel may lack the dummy driver (the lab's own kernel does): ifb is the same kind of
      // pseudo interface (no ARP, always up).
      extraArgs: ['--default-class=false', '--link-kind', 'ifb'],
      spawn: (argv) => lab.spawnIn(node, argv, { stdio: ['ignore', 'pipe', 'pipe'] }),
      ...logFile(node.name),
      ...options.agentProcess,
    });
    agents.set(node.name, agent);
    await agent.waitForLog((l) => l.event === 'ready');
    return agent;
  };
  if (options.startAgents ?? true) await Promise.all(lab.nodes.map(startAgent));

  const holders = async (address: string): Promise<string[]> => {
    const out: string[] = [];
    await Promise.all(
      lab.nodes.map(async (node) => {
        const res = await lab.exec(node, ['ip', '-j', 'addr', 'show']);
        for (const link of JSON.parse(res.stdout) as IpAddressJson[]) {
          for (const a of link.addr_info)
            if (a.local === address) out.push(`${node.name} ${link.ifname}/${a.prefixlen}`);
        }
      }),
    );
    return out.sort();
  };

  return {
    api,
    ns,
    lab,
    allocator,
    agents,
    startAgent,
    holders,
    waitForHolders: (address, until) =>
      waitFor(`${until.what} (${address})`, async () => {
        const h = await holders(address);
        return until.match(h) ? h : undefined;
      }),
    connect: async (address) => {
      const res = await lab.exec(lab.client, [process.execPath, join(scripts, 'connect.mjs'), address]);
      return res.code === 0 ? res.stdout.trim() : undefined;
    },
    neighbourMac: async (address) => {
      const res = await lab.exec(lab.client, ['ip', '-j', 'neigh', 'show', address]);
      const [entry] = JSON.parse(res.stdout === '' ? '[]' : res.stdout) as { lladdr?: string }[];
      return entry?.lladdr;
    },
    routes: async (node, iface) => {
      const res = await lab.exec(node, ['ip', '-j', 'route', 'show', 'dev', iface]);
      const list = JSON.parse(res.stdout === '' ? '[]' : res.stdout) as { dst: string; protocol?: string }[];
      const res6 = await lab.exec(node, ['ip', '-6', '-j', 'route', 'show', 'dev', iface]);
      const list6 = JSON.parse(res6.stdout === '' ? '[]' : res6.stdout) as { dst: string; protocol?: string }[];
      return [...list, ...list6].map((r) => `${r.dst} proto ${r.protocol ?? 'unknown'}`);
    },
    metrics: async (node) => {
      const port = agents.get(node.name)?.logs.find((l) => l.event === 'listening')?.['port'];
      if (typeof port !== 'number') return '';
      const fetchMetrics = `fetch('http://127.0.0.1:${port}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))`;
      const res = await lab.exec(node, [process.execPath, '-e', fetchMetrics]);
      return res.code === 0 ? res.stdout : '';
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.stop('SIGTERM', 5000)));
      await allocator.stop();
      await lab.destroy();
      rmSync(scripts, { recursive: true, force: true });
      api.close();
    },
  };
}

/** A LoadBalancer Service of our class, for the allocator under test to allocate. */
export async function createLabService(
  lab: Pick<AgentLab, 'api' | 'ns'>,
  name: string,
  shape: {
    readonly group?: string;
    readonly families?: readonly ('IPv4' | 'IPv6')[];
    readonly annotations?: Readonly<Record<string, string>>;
    readonly trafficPolicy?: 'Cluster' | 'Local';
  } = {},
): Promise<void> {
  const families = shape.families ?? ['IPv4'];
  const body = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: lab.ns,
      annotations: {
        ...(shape.group === undefined ? {} : { 'purelb.io/service-group': shape.group }),
        ...shape.annotations,
      },
    },
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
  expectOk(await lab.api.post(`/api/v1/namespaces/${lab.ns}/services`, body), `create Service ${name}`);
}

/** Waits until the allocator gave the Service `count` addresses; returns them in ingress order. */
export function waitForIngress(lab: Pick<AgentLab, 'api' | 'ns'>, name: string, count = 1): Promise<string[]> {
  return waitFor(`Service ${name} to get ${count} address(es)`, async () => {
    const r = await lab.api.get(`/api/v1/namespaces/${lab.ns}/services/${name}`);
    const ips = (
      (r.body as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }).status?.loadBalancer?.ingress ?? []
    ).flatMap((e) => (e.ip === undefined ? [] : [e.ip]));
    return ips.length === count ? ips : undefined;
  });
}
