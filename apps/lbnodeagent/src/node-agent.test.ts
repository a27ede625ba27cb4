// The daemon on the in-memory API server, fake kernels and a hand-driven clock: membership, elections,
// the Service writes, kernel failures, a node cut off from the API server, graceful stop, and a bad
// LBNodeAgent. (node-agent.int.test.ts and tools/node-lab prove the same on the real things.)
import { createFakeClock } from '@purelb/k8s-watch/testing';
import type { FakeClock } from '@purelb/k8s-watch/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fields, Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import type { AgentMetrics } from './metrics.ts';
import { startNodeAgent } from './node-agent.ts';
import type { NodeAgent } from './node-agent.ts';
import { createFakeNetwork } from './testing/fake-network.ts';
import type { FakeNetwork } from './testing/fake-network.ts';
import { allocatedService, createInMemoryCluster } from './testing/in-memory-cluster.ts';
import type { InMemoryCluster } from './testing/in-memory-cluster.ts';

const NS = 'purelb';
const SERVICES = '/api/v1/namespaces/apps/services';
const WALL0 = Date.UTC(2026, 0, 1);

interface Line {
  readonly level: string;
  readonly event: string;
  readonly fields: Fields;
}

function memoryLogger(lines: Line[]): Logger {
  const at =
    (level: string) =>
    (event: string, fields: Fields = {}): void => {
      lines.push({ level, event, fields });
    };
  return {
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => memoryLogger(lines),
  };
}

interface TestAgent {
  readonly node: string;
  readonly network: FakeNetwork;
  readonly agent: NodeAgent;
  readonly metrics: AgentMetrics;
  readonly lines: Line[];
}

let mem: InMemoryCluster;
let clock: FakeClock;
let agents: TestAgent[];

function start(node: string, index: number): TestAgent {
  const network = createFakeNetwork({
    links: [{ name: 'eth0', addresses: [`192.0.2.${10 + index}/24`] }],
    defaultRoutes: { IPv4: ['eth0'] },
  });
  const lines: Line[] = [];
  const metrics = createMetrics({ processMetrics: false });
  const agent = startNodeAgent({
    cluster: mem.clusterFor(node),
    network,
    options: {
      kubeconfig: { kind: 'in-cluster' },
      nodeName: node,
      namespace: NS,
      defaultClass: true,
      leaseDurationMs: 3000,
      linkKind: 'dummy',
      listen: { host: '127.0.0.1', port: 0 },
      logLevel: 'debug',
    },
    logger: memoryLogger(lines),
    metrics,
    clock,
    now: () => WALL0 + clock.now(),
  });
  const a = { node, network, agent, metrics, lines };
  agents.push(a);
  return a;
}

/** Lets the agents work for `ms` of their time, in small steps. */
async function run(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 50) await clock.advanceAsync(50);
}

const holders = (address: string): string[] =>
  agents.flatMap((a) =>
    a.network
      .ours()
      .filter((o) => o.startsWith(`${address}/`))
      .map((o) => `${a.node} ${o}`),
  );

interface ServiceView {
  readonly metadata?: { readonly annotations?: Record<string, string> };
  readonly status?: {
    readonly conditions?: readonly { type: string; status: string; reason: string; message: string }[];
  };
}
const service = (name: string): ServiceView | undefined =>
  mem.server.get(`${SERVICES}/${name}`) as ServiceView | undefined;
const announced = (name: string): { status: string; reason: string; message: string } | undefined =>
  service(name)?.status?.conditions?.find((c) => c.type === 'purelb.io/Announced');
const events = (reason: string): unknown[] =>
  mem.server.writes.filter((w) => w.op === 'create-event' && w.body['reason'] === reason);

beforeEach(() => {
  mem = createInMemoryCluster();
  clock = createFakeClock(0);
  agents = [];
});

afterEach(async () => {
  await Promise.all(agents.map((a) => a.agent.stop()));
});

describe('startNodeAgent', () => {
  it('elects one node, which holds the address, writes its annotation and the condition, and is ready', async () => {
    const [a, b] = [start('node-a', 1), start('node-b', 2)];
    mem.server.put(SERVICES, allocatedService('apps/web', ['192.0.2.240']));
    await run(1500);
    const h = holders('192.0.2.240');
    expect(h).toHaveLength(1);
    const winner = h[0]?.split(' ')[0] ?? '';
    expect(h[0]).toBe(`${winner} 192.0.2.240/24@eth0`);
    expect(service('web')?.metadata?.annotations?.['purelb.io/announcing-IPv4']).toBe(`${winner},eth0`);
    expect(announced('web')).toMatchObject({
      status: 'True',
      reason: 'Announcing',
      message: `192.0.2.240 on ${winner} (eth0)`,
    });
    expect(events('AnnouncingLocal')).toHaveLength(1);
    for (const x of [a, b]) expect(x.agent.readiness()).toMatchObject({ ready: true });
    // A new address was never announced by anyone: no gratuitous ARP.
    expect(agents.flatMap((x) => x.network.announced)).toEqual([]);
  });

  it('passes again for an EndpointSlice update only when it moves a Service’s nodes, not for Pods on the same nodes', async () => {
    const a = start('node-a', 1);
    const slicePath = '/apis/discovery.k8s.io/v1/namespaces/apps/endpointslices';
    const slice = (ips: readonly string[], node: string): object => ({
      metadata: { name: 'web-1', namespace: 'apps', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: ips.map((ip) => ({ addresses: [ip], nodeName: node, conditions: { ready: true } })),
    });
    mem.server.put(SERVICES, allocatedService('apps/web', ['203.0.113.9']));
    mem.server.put(slicePath, slice(['10.0.0.1'], 'node-a'));
    await run(1500);
    const passes = (): number => a.lines.filter((l) => l.event === 'pass').length;
    const settled = passes();
    expect(settled).toBeGreaterThan(0);

    // Pods replaced and added on the same node: the slice changes, the Service's nodes do not.
    mem.server.put(slicePath, slice(['10.0.0.2', '10.0.0.3'], 'node-a'));
    await run(1500);
    expect(passes()).toBe(settled);

    // The Pods move to another node: a pass.
    mem.server.put(slicePath, slice(['10.0.0.4'], 'node-b'));
    await run(1500);
    expect(passes()).toBeGreaterThan(settled);
  });

  it('says AnnounceFailed when the elected node cannot add the address, and recovers', async () => {
    const a = start('node-a', 1);
    a.network.setFault('add', { code: 'PermissionDenied', message: 'operation not permitted' });
    mem.server.put(SERVICES, allocatedService('apps/web', ['192.0.2.240']));
    await run(1500);
    expect(announced('web')).toMatchObject({
      status: 'False',
      reason: 'AnnounceFailed',
      message: '192.0.2.240: node-a cannot add it to eth0: operation not permitted',
    });
    expect(events('AnnounceFailed')).toHaveLength(1);
    expect(await a.metrics.registry.getSingleMetricAsString('purelb_lbnodeagent_netlink_errors_total')).toMatch(
      /operation="add"} [1-9]/,
    );
    a.network.setFault('add', undefined);
    await run(3000);
    expect(holders('192.0.2.240')).toEqual(['node-a 192.0.2.240/24@eth0']);
    expect(announced('web')).toMatchObject({ status: 'True', reason: 'Announcing' });
  });

  it('a node cut off from the API server: its peer takes over after the lease, the cut node keeps its view until it is back', async () => {
    start('node-a', 1);
    start('node-b', 2);
    mem.server.put(SERVICES, allocatedService('apps/web', ['192.0.2.240']));
    await run(1500);
    const winner = holders('192.0.2.240')[0]?.split(' ')[0] ?? '';
    const peer = winner === 'node-a' ? 'node-b' : 'node-a';
    mem.cutLeases(winner, true);
    await run(5000);
    expect(holders('192.0.2.240').sort()).toEqual([`node-a 192.0.2.240/24@eth0`, `node-b 192.0.2.240/24@eth0`]);
    // The cut node writes nothing it cannot trust: the annotation names the peer, written once.
    expect(service('web')?.metadata?.annotations?.['purelb.io/announcing-IPv4']).toBe(`${peer},eth0`);
    expect(mem.server.writes.filter((w) => w.op === 'patch-annotations').length).toBeLessThan(5);
    const cutAgent = agents.find((x) => x.node === winner);
    expect(cutAgent?.lines.some((l) => l.event === 'membership-frozen')).toBe(true);
    // The peer announced the address it took over: the neighbours knew the winner's MAC.
    expect(agents.find((x) => x.node === peer)?.network.announced.map((s) => s.address)).toEqual(['192.0.2.240']);
    mem.cutLeases(winner, false);
    await run(3000);
    expect(holders('192.0.2.240')).toEqual([`${winner} 192.0.2.240/24@eth0`]);
    expect(cutAgent?.lines.some((l) => l.event === 'membership-resumed')).toBe(true);
  });

  it('a graceful stop withdraws local addresses only, deletes the Lease, and the peer takes over at once', async () => {
    start('node-a', 1);
    start('node-b', 2);
    mem.server.put(SERVICES, allocatedService('apps/web', ['192.0.2.240']));
    mem.server.put(SERVICES, allocatedService('apps/virt', ['203.0.113.5']));
    await run(1500);
    const winner = agents.find((x) => x.network.ours().includes('192.0.2.240/24@eth0'));
    if (winner === undefined) throw new Error('no winner');
    await winner.agent.stop();
    expect(winner.network.ours()).toEqual(['203.0.113.5/32@kube-lb0']);
    expect(
      mem.server.get(`/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/purelb-node-${winner.node}`),
    ).toBeUndefined();
    await run(200);
    expect(holders('192.0.2.240')).toHaveLength(1);
    expect(holders('192.0.2.240')[0]?.startsWith(winner.node)).toBe(false);
  });

  it('reports a bad LBNodeAgent on its status and keeps the last good configuration', async () => {
    const a = start('node-a', 1);
    const path = `/apis/purelb.io/v1/namespaces/${NS}/lbnodeagents`;
    mem.server.put(path, {
      metadata: { name: 'default', namespace: NS, generation: 1 },
      spec: { local: { extlbint: 'purelb0' } },
    });
    mem.server.put(SERVICES, allocatedService('apps/virt', ['203.0.113.5']));
    await run(1500);
    expect(a.network.ours()).toEqual(['203.0.113.5/32@purelb0']);
    mem.server.put(path, {
      metadata: { name: 'default', namespace: NS, generation: 2 },
      spec: { local: { extlbint: 'bad/name', localint: '(' } },
    });
    await run(1500);
    const status = (
      mem.server.get(`${path}/default`) as {
        status?: { conditions?: { reason: string; status: string; message: string; observedGeneration: number }[] };
      }
    ).status;
    expect(status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InvalidConfig', observedGeneration: 2 });
    expect(status?.conditions?.[0]?.message).toContain('spec.local.extlbint "bad/name" is not a Linux interface name');
    expect(events('InvalidConfig')).toHaveLength(1);
    expect(a.network.ours()).toEqual(['203.0.113.5/32@purelb0']);
    expect(a.lines.some((l) => l.event === 'config-invalid')).toBe(true);
  });
});
