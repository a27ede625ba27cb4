// Virtual addresses routed end to end on the real kernel: the allocator, a node agent and a routing
// sidecar (with its BIRD) in each of three node namespaces, a BIRD router peering with every node,
// and a remote client behind the router that reaches virtual addresses only through BGP. What the
// router's kernel holds, what BIRD says and what a TCP client sees; never timings.
import { waitFor } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import type { LabNode } from '@purelb/test-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labRoutingYaml, startRoutingLab } from './testing/routing-lab.ts';
import type { RoutingLab } from './testing/routing-lab.ts';

let lab: RoutingLab;
let nodes: LabNode[];
/** The router's next hops towards these nodes (their LAN 1 IPv4 addresses), sorted. */
const hops = (...list: LabNode[]): string[] => list.map((n) => n.ipv4).sort();
const same =
  (expected: readonly string[]) =>
  (via: readonly string[]): boolean =>
    via.join() === [...expected].sort().join();

describe('routed virtual addresses (BGP lab)', () => {
  beforeAll(async () => {
    lab = await startRoutingLab({
      kubeconfigPath: testKubeconfigPath(),
      nodes: 3,
      ...(process.env['PURELB_TEST_LOG_DIR'] === undefined ? {} : { logDir: process.env['PURELB_TEST_LOG_DIR'] }),
    });
    nodes = [...lab.lab.nodes];
  }, 180_000);

  afterAll(async () => {
    await lab.close();
  });

  it('ETP Cluster: one route per node at the router (ECMP), the remote client connects, deleting the Service withdraws', async () => {
    const [v4 = '', v6 = ''] = await lab.createService('web', { group: 'host', families: ['IPv4', 'IPv6'] });
    await lab.waitForRoute(`${v4}/32`, same(hops(...nodes)), 'a next hop per node');
    await lab.waitForRoute(`${v6}/128`, same(nodes.map((n) => n.ipv6)), 'a next hop per node');
    expect(await lab.routeTo(`${v4}/32`)).toEqual({ dst: `${v4}/32`, via: hops(...nodes) });
    const bird = await lab.router.showRoute();
    for (const n of nodes) expect(bird).toContain(`via ${n.ipv4} on eth0`);
    expect(bird).toContain(`${v4}/32`);
    const answered = await lab.connectFromRemote(v4);
    expect(nodes.map((n) => n.name)).toContain(answered);
    expect(nodes.map((n) => n.name)).toContain(await lab.connectFromRemote(v6));

    await lab.deleteService('web');
    await lab.waitForRoute(`${v4}/32`, (via) => via.length === 0, 'gone');
    await lab.waitForRoute(`${v6}/128`, (via) => via.length === 0, 'gone');
    expect(await lab.connectFromRemote(v4)).toBeUndefined();
  });

  it('ETP Local: only nodes with an endpoint are routed; the route follows the endpoint; none without endpoints', async () => {
    const [address = ''] = await lab.createService('local', { group: 'host', trafficPolicy: 'Local' });
    const [n1, n2, n3] = nodes as [LabNode, LabNode, LabNode];
    await lab.setEndpoints('local', [n2]);
    await lab.waitForRoute(`${address}/32`, same(hops(n2)), 'node 2 only');
    expect(await lab.connectFromRemote(address)).toBe(n2.name);
    await lab.setEndpoints('local', [n3]);
    await lab.waitForRoute(`${address}/32`, same(hops(n3)), 'moved to node 3');
    expect(await lab.connectFromRemote(address)).toBe(n3.name);
    await lab.setEndpoints('local', [n1, n3]);
    await lab.waitForRoute(`${address}/32`, same(hops(n1, n3)), 'nodes 1 and 3');
    await lab.setEndpoints('local', []);
    await lab.waitForRoute(`${address}/32`, (via) => via.length === 0, 'no route without endpoints');
    expect(await lab.connectFromRemote(address)).toBeUndefined();
    await lab.deleteService('local');
  });

  it('aggregation: a /24 aggregation is one /24 route for several addresses, /32 per address otherwise', async () => {
    const [a1 = ''] = await lab.createService('agg-1', { group: 'aggregated' });
    const [a2 = ''] = await lab.createService('agg-2', { group: 'aggregated' });
    const [h1 = ''] = await lab.createService('host-1', { group: 'host' });
    const [h2 = ''] = await lab.createService('host-2', { group: 'host' });
    await lab.waitForRoute('198.51.100.0/24', same(hops(...nodes)), 'the aggregate from every node');
    await lab.waitForRoute(`${h1}/32`, same(hops(...nodes)), 'host route 1');
    await lab.waitForRoute(`${h2}/32`, same(hops(...nodes)), 'host route 2');
    const v4 = (await lab.router.routes()).filter((r) => !r.dst.includes(':')).map((r) => r.dst);
    expect(v4).toEqual(['198.51.100.0/24', `${h1}/32`, `${h2}/32`].sort());
    expect(v4).not.toContain(`${a1}/32`);
    expect(v4).not.toContain(`${a2}/32`);
    expect(nodes.map((n) => n.name)).toContain(await lab.connectFromRemote(a2));
    for (const name of ['agg-1', 'agg-2', 'host-1', 'host-2']) await lab.deleteService(name);
    await lab.waitForRoute(
      '198.51.100.0/24',
      (via) => via.length === 0,
      'the aggregate withdrawn with its last address',
    );
  });

  it('bad routing input: a clear error and a Warning Event; the last good configuration keeps routing', async () => {
    const [address = ''] = await lab.createService('steady', { group: 'host' });
    await lab.waitForRoute(`${address}/32`, same(hops(...nodes)), 'routed');
    const sidecar = lab.sidecars.get(nodes[0]!.name)!;
    const cases = [
      [
        'peers:\n  - { address: 192.0.2.1, asn: 4294967296 }\nlocalASN: 64512\n',
        'peers[0].asn: 4294967296 is out of range 1..4294967295',
      ],
      [
        'localASN: 64512\npeers:\n  - { address: 192.0.2.1, asn: 64500, families: [ipv5] }\n',
        'peers[0].families[0]: "ipv5" is not a known address family (ipv4, ipv6)',
      ],
      ['localASN: 64512\npeers:\n  - { asn: 64500 }\n', 'peers[0].address: the peer address is required'],
    ] as const;
    for (const [yaml, problem] of cases) {
      const from = sidecar.logs.length;
      await lab.putRoutingConfig(yaml);
      const line = await sidecar.waitForLog((l) => l.event === 'routing-config-invalid', { fromIndex: from });
      expect(line['problems']).toEqual([problem]);
      expect(line['keeping']).toBe(true);
      const events = await lab.api.get(
        `/api/v1/namespaces/${lab.ns}/events?fieldSelector=involvedObject.name=purelb-routing,reason=InvalidRoutingConfig`,
      );
      const messages = ((events.body as { items?: { message?: string }[] }).items ?? []).map((e) => e.message ?? '');
      expect(messages).toContain(`${problem} (the last good configuration stays)`);
    }
    // Still routed through every node: the sessions stayed up on the last good configuration.
    expect(await lab.routeTo(`${address}/32`)).toEqual({ dst: `${address}/32`, via: hops(...nodes) });
    expect(await lab.router.showProtocols()).not.toMatch(/node_\d+\s+BGP\s+---\s+(start|down)/);

    // A good change is applied by a reload that keeps every session: same "since" at the router.
    const sessions = async (): Promise<string[]> =>
      (await lab.router.showProtocols())
        .split('\n')
        .filter((l) => /^node_\d+\s/.test(l))
        .sort();
    const before = await sessions();
    expect(before).toHaveLength(nodes.length * 2);
    for (const line of before) expect(line).toMatch(/\sEstablished\s*$/);
    await lab.putRoutingConfig(labRoutingYaml({ communities: ['64512:200'] }));
    await Promise.all(
      [...lab.sidecars.values()].map((s) =>
        s.waitForLog((l) => l.event === 'routing-config-applied' && l['started'] === false),
      ),
    );
    await waitFor('the new community at the router', async () =>
      (await lab.router.showRoute('all')).includes('(64512,200)') ? true : undefined,
    );
    expect(await sessions()).toEqual(before);
    await lab.deleteService('steady');
    await lab.waitForRoute(`${address}/32`, (via) => via.length === 0, 'gone');
  });

  it('router restart and sidecar restart: the routes come back without any PureLB action', async () => {
    const [address = ''] = await lab.createService('survivor', { group: 'host' });
    await lab.waitForRoute(`${address}/32`, same(hops(...nodes)), 'routed');

    await lab.router.stop();
    await lab.router.start();
    await lab.waitForRoute(`${address}/32`, same(hops(...nodes)), 'relearned after the router restarted');
    expect(nodes.map((n) => n.name)).toContain(await lab.connectFromRemote(address));

    const node = nodes[1]!;
    await lab.sidecars.get(node.name)!.stop('SIGTERM');
    await lab.waitForRoute(`${address}/32`, same(hops(nodes[0]!, nodes[2]!)), 'withdrawn with the stopped sidecar');
    await lab.startSidecar(node);
    await lab.waitForRoute(`${address}/32`, same(hops(...nodes)), 'back with the restarted sidecar');

    // SIGKILL leaves BIRD running alone; the next sidecar retires it and starts its own.
    await lab.sidecars.get(node.name)!.stop('SIGKILL');
    await lab.startSidecar(node);
    await lab.waitForRoute(`${address}/32`, same(hops(...nodes)), 'routed after a sidecar killed and restarted');
    await lab.deleteService('survivor');
  });
});
