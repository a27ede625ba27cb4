// Three agents in this process, each on a fake kernel, against the real API server: membership
// Leases, elections, Service annotations and conditions, the LBNodeAgent status, graceful handover,
// restoring an address removed by hand, the startup sweep. (The kernel and real processes are the
// lab tests' business.)
import { randomBytes } from 'node:crypto';
import { createKubeClient, createTestNamespace, expectOk, waitFor } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announced,
  createOwnedService,
  getService,
  holders,
  putAgentConfig,
  servicesPath,
  setEndpoints,
  setIngress,
  startInProcessAgent,
  waitForHolders,
} from './testing/cluster-fixtures.ts';
import type { InProcessAgent } from './testing/cluster-fixtures.ts';

const suffix = randomBytes(3).toString('hex');
const names = ['a', 'b', 'c'].map((n) => `${n}-${suffix}`);
let api: KubeClient;
let ns: string;
const agents: InProcessAgent[] = [];

beforeAll(async () => {
  const kc = testKubeConfig();
  api = await createKubeClient(kc, { maxSockets: 4 });
  ns = await createTestNamespace(kc, 'lbna');
  expectOk(
    await api.post(`/apis/purelb.io/v1/namespaces/${ns}/servicegroups`, {
      apiVersion: 'purelb.io/v1',
      kind: 'ServiceGroup',
      metadata: { name: 'virtual', namespace: ns },
      spec: { local: { v4pools: [{ pool: '203.0.113.0/28', subnet: '203.0.113.0/24', aggregation: 'default' }] } },
    }),
    'create ServiceGroup',
  );
  names.forEach((node, i) => agents.push(startInProcessAgent({ kubeConfig: kc, ns, node, index: i + 1 })));
  await waitFor('every agent to be ready', () => agents.every((a) => a.agent.readiness().ready));
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.agent.stop()));
  for (const s of (expectOk(await api.get(servicesPath(ns)), 'list') as { items: { metadata: { name: string } }[] })
    .items) {
    await api.delete(`${servicesPath(ns)}/${s.metadata.name}`);
  }
  api.close();
});

const place = (): { api: KubeClient; ns: string } => ({ api, ns });
const live = (): InProcessAgent[] => agents.filter((a) => a.agent.readiness().ready);

describe('three agents on one LAN', () => {
  it('elect exactly one node per family, which writes its annotation and the condition', async () => {
    await createOwnedService(place(), 'web', { addresses: ['192.0.2.240', '2001:db8:1::240'] });
    const v4 = await waitForHolders(agents, '192.0.2.240', { match: (h) => h.length === 1, what: 'one holder' });
    const v6 = await waitForHolders(agents, '2001:db8:1::240', { match: (h) => h.length === 1, what: 'one holder' });
    const [node4] = (v4[0] ?? '').split(' ');
    const [node6] = (v6[0] ?? '').split(' ');
    expect(v4[0]).toBe(`${node4} 192.0.2.240/24@eth0`);
    expect(v6[0]).toBe(`${node6} 2001:db8:1::240/64@eth0`);
    const svc = await waitFor('annotations and condition', async () => {
      const s = await getService(place(), 'web');
      const a = s?.metadata?.annotations ?? {};
      return a['purelb.io/announcing-IPv4'] === `${node4},eth0` &&
        a['purelb.io/announcing-IPv6'] === `${node6},eth0` &&
        announced(s)?.reason === 'Announcing'
        ? s
        : undefined;
    });
    expect(announced(svc)).toMatchObject({
      status: 'True',
      message: `192.0.2.240 on ${node4} (eth0); 2001:db8:1::240 on ${node6}${node6 === node4 ? ' (eth0)' : ''}`,
    });
    // A new address is in no neighbour's cache: nothing to announce.
    const winner = agents.find((a) => a.node === node4);
    expect(winner?.network.announced.map((s) => s.address)).not.toContain('192.0.2.240');
  });

  it('puts back an address removed by hand, and never removes one added by hand', async () => {
    const [holder] = holders(agents, '192.0.2.240');
    const agent = agents.find((a) => holder?.startsWith(`${a.node} `) === true);
    expect(agent).toBeDefined();
    agent?.network.removeByHand('192.0.2.240', 'eth0');
    await waitForHolders(agents, '192.0.2.240', { match: (h) => h.length === 1, what: 'the address back' });
    agent?.network.addByHand({ interface: 'eth0', family: 'IPv4', address: '192.0.2.77', prefixLength: 24 });
    await createOwnedService(place(), 'nudge', { addresses: ['203.0.113.9'], group: 'virtual' });
    await waitForHolders(agents, '203.0.113.9', {
      match: (h) => h.length === 3,
      what: 'the virtual address everywhere',
    });
    expect(agent?.network.view().addresses.some((a) => a.address === '192.0.2.77' && !a.ours)).toBe(true);
  });

  it('a virtual address is on every node with the pool subnet prefix; ETP Local follows the EndpointSlices', async () => {
    expect(holders(agents, '203.0.113.9').map((h) => h.split(' ')[1])).toEqual(
      Array(3).fill('203.0.113.9/24@kube-lb0'),
    );
    await createOwnedService(place(), 'local', {
      addresses: ['203.0.113.10'],
      group: 'virtual',
      trafficPolicy: 'Local',
    });
    const cond = await waitFor('NoReadyEndpoint', async () =>
      announced(await getService(place(), 'local'))?.reason === 'NoReadyEndpoint' ? true : undefined,
    );
    expect(cond).toBe(true);
    expect(holders(agents, '203.0.113.10')).toEqual([]);
    await setEndpoints(place(), 'local', [
      { node: names[1] ?? '', ready: true },
      { node: names[2] ?? '', ready: false },
    ]);
    await waitForHolders(agents, '203.0.113.10', {
      match: (h) => h.length === 1 && h[0] === `${names[1] ?? ''} 203.0.113.10/24@kube-lb0`,
      what: 'only the node with a ready endpoint',
    });
    await setEndpoints(place(), 'local', []);
    await waitForHolders(agents, '203.0.113.10', {
      match: (h) => h.length === 0,
      what: 'withdrawn with the last endpoint',
    });
  });

  it('withdraws on address change, type change and delete', async () => {
    await setIngress(place(), 'web', ['192.0.2.241']);
    await waitForHolders(agents, '192.0.2.240', { match: (h) => h.length === 0, what: 'the old address gone' });
    await waitForHolders(agents, '2001:db8:1::240', { match: (h) => h.length === 0, what: 'the removed family gone' });
    await waitForHolders(agents, '192.0.2.241', { match: (h) => h.length === 1, what: 'the new address held' });
    expectOk(
      await api.patch(`${servicesPath(ns)}/nudge`, {
        spec: {
          type: 'ClusterIP',
          loadBalancerClass: null,
          allocateLoadBalancerNodePorts: null,
          externalTrafficPolicy: null,
        },
      }),
      'type change',
    );
    await waitForHolders(agents, '203.0.113.9', {
      match: (h) => h.length === 0,
      what: 'withdrawn after the type change',
    });
    expectOk(await api.delete(`${servicesPath(ns)}/web`), 'delete');
    await waitForHolders(agents, '192.0.2.241', { match: (h) => h.length === 0, what: 'withdrawn after delete' });
  });

  it('a bad LBNodeAgent is reported and the last good configuration kept', async () => {
    await putAgentConfig(place(), { localint: '(eth', extlbint: 'kube-lb0' });
    const status = await waitFor('the LBNodeAgent condition', async () => {
      const r = await api.get(`/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents/default`);
      const c = (
        r.body as { status?: { conditions?: { type: string; status: string; reason: string; message: string }[] } }
      ).status?.conditions?.[0];
      return c?.reason === 'InvalidConfig' ? c : undefined;
    });
    expect(status.status).toBe('False');
    expect(status.message).toMatch(/^spec\.local\.localint "\(eth" is not a regular expression/);
    const events = expectOk(
      await api.get(`/api/v1/namespaces/${ns}/events`, { query: { fieldSelector: 'involvedObject.name=default' } }),
      'events',
    ) as { items: { reason: string; type: string }[] };
    expect(events.items.filter((e) => e.reason === 'InvalidConfig').every((e) => e.type === 'Warning')).toBe(true);
    expect(live()).toHaveLength(3);
    await putAgentConfig(place(), { localint: '^eth0$' });
    await waitFor('the LBNodeAgent Valid again', async () => {
      const r = await api.get(`/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents/default`);
      return (r.body as { status?: { conditions?: { reason: string }[] } }).status?.conditions?.[0]?.reason === 'Valid';
    });
  });

  it('a graceful stop hands a local address over to the next node in hash order', async () => {
    await createOwnedService(place(), 'move', { addresses: ['192.0.2.250'] });
    const [first] = await waitForHolders(agents, '192.0.2.250', { match: (h) => h.length === 1, what: 'one holder' });
    const winner = agents.find((a) => first?.startsWith(`${a.node} `) === true);
    if (winner === undefined) throw new Error('no winner');
    await waitFor(
      'the winner to announce',
      async () =>
        (await getService(place(), 'move'))?.metadata?.annotations?.['purelb.io/announcing-IPv4'] ===
        `${winner.node},eth0`,
    );
    await winner.agent.stop();
    expect(winner.network.ours().filter((o) => o.startsWith('192.0.2.250/'))).toEqual([]);
    const [next] = await waitForHolders(agents, '192.0.2.250', { match: (h) => h.length === 1, what: 'a new holder' });
    expect(next?.startsWith(`${winner.node} `)).toBe(false);
    const node = next?.split(' ')[0] ?? '';
    await waitFor(
      'the annotation to name the new holder',
      async () =>
        (await getService(place(), 'move'))?.metadata?.annotations?.['purelb.io/announcing-IPv4'] === `${node},eth0`,
    );
    // Neighbours knew the old holder's MAC: the new one announces the address.
    expect(agents.find((a) => a.node === node)?.network.announced.map((a) => a.address)).toContain('192.0.2.250');
  });

  it('a restarted agent sweeps addresses it had added that no Service needs, and keeps the rest', async () => {
    const kc = testKubeConfig();
    const stale = startInProcessAgent({
      kubeConfig: kc,
      ns,
      node: `d-${suffix}`,
      index: 4,
      network: {
        links: [{ name: 'eth0', addresses: ['192.0.2.14/24'] }],
        defaultRoutes: { IPv4: ['eth0'] },
        ours: ['192.0.2.99/24@eth0', '203.0.113.12/24@kube-lb0'],
      },
    });
    agents.push(stale);
    stale.network.addByHand({ interface: 'eth0', family: 'IPv4', address: '192.0.2.98', prefixLength: 24 });
    await waitFor('the sweep', () =>
      stale.network.ours().every((o) => !o.startsWith('192.0.2.99/') && !o.startsWith('203.0.113.12/')),
    );
    expect(stale.network.view().addresses.some((a) => a.address === '192.0.2.98')).toBe(true);
    await createOwnedService(place(), 'after', { addresses: ['203.0.113.11'], group: 'virtual' });
    await waitFor('the new agent to hold virtual addresses', () =>
      stale.network.ours().includes('203.0.113.11/24@kube-lb0'),
    );
  });
});
