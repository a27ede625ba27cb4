// PureLB end to end on the real kernel: a real API server, the allocator as a process, a node agent
// process in each of four node namespaces (nodes 1-3 on LAN 1, node 4 on LAN 2 only) and a client on
// LAN 1. What a client sees (TCP, neighbour entries) and what the kernels hold, never timings.
import { electWinner } from '@purelb/election';
import { expectOk, waitFor } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import type { LabNode } from '@purelb/test-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabService, startAgentLab, waitForIngress } from './agent-lab.ts';
import type { AgentLab } from './agent-lab.ts';

let lab: AgentLab;
let lan1: LabNode[];
let node4: LabNode;

/** The winner of an address among nodes on its subnet, by the specification's rule. */
function expectedWinner(address: string, nodes: readonly LabNode[]): string {
  const r = electWinner({
    address,
    candidates: nodes.map((n) => ({
      name: n.name,
      subnets: [n.interfaces[0]?.ipv4Cidr ?? '', n.interfaces[0]?.ipv6Cidr ?? ''],
      live: true,
    })),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.winner;
}

const nodeNamed = (name: string): LabNode => {
  const n = lab.lab.nodes.find((x) => x.name === name);
  if (n === undefined) throw new Error(`no node ${name}`);
  return n;
};

/** Holders on a LAN interface (eth*), i.e. local announcements. */
const local = (h: string[]): string[] => h.filter((x) => / eth\d\//.test(x));

async function serviceOf(name: string): Promise<{
  annotations: Record<string, string>;
  announced: { status: string; reason: string; message: string } | undefined;
  allocated: { status: string; reason: string; message: string } | undefined;
}> {
  const r = await lab.api.get(`/api/v1/namespaces/${lab.ns}/services/${name}`);
  const body = r.body as {
    metadata?: { annotations?: Record<string, string> };
    status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
  };
  return {
    annotations: body.metadata?.annotations ?? {},
    announced: body.status?.conditions?.find((c) => c.type === 'purelb.io/Announced'),
    allocated: body.status?.conditions?.find((c) => c.type === 'purelb.io/Allocated'),
  };
}

describe('allocator and node agents in the lab', () => {
  beforeAll(async () => {
    lab = await startAgentLab({
      kubeconfigPath: testKubeconfigPath(),
      nodes: 4,
      secondLanOnly: [4],
      ...(process.env['PURELB_TEST_LOG_DIR'] === undefined ? {} : { logDir: process.env['PURELB_TEST_LOG_DIR'] }),
    });
    lan1 = lab.lab.nodes.slice(0, 3);
    node4 = lab.lab.nodes[3] as LabNode;
  }, 180_000);

  afterAll(async () => {
    await lab.close();
  });

  it('puts a local address on exactly the elected node, per family, and the client reaches a listener there', async () => {
    await createLabService(lab, 'web', { families: ['IPv4', 'IPv6'] });
    const [v4 = '', v6 = ''] = await waitForIngress(lab, 'web', 2);
    const w4 = expectedWinner(v4, lan1);
    const w6 = expectedWinner(v6, lan1);
    await lab.waitForHolders(v4, {
      match: (h) => h.length === 1 && h[0] === `${w4} eth0/24`,
      what: 'the IPv4 winner only',
    });
    await lab.waitForHolders(v6, {
      match: (h) => h.length === 1 && h[0] === `${w6} eth0/64`,
      what: 'the IPv6 winner only',
    });
    expect(await lab.connect(v4)).toBe(w4);
    expect(await lab.connect(v6)).toBe(w6);
    const svc = await waitFor('the winners to announce on the Service', async () => {
      const s = await serviceOf('web');
      return s.annotations['purelb.io/announcing-IPv4'] === `${w4},eth0` &&
        s.annotations['purelb.io/announcing-IPv6'] === `${w6},eth0` &&
        s.announced?.reason === 'Announcing'
        ? s
        : undefined;
    });
    expect(svc.announced?.status).toBe('True');
    // Each daemon patches only its own condition: neither undoes the other's.
    expect(svc.allocated).toMatchObject({ status: 'True', reason: 'Allocated' });
  });

  it('moves a local address when the winner is killed; the client connects to the new node, whose MAC it now has', async () => {
    const [v4 = ''] = await waitForIngress(lab, 'web', 2);
    const first = expectedWinner(v4, lan1);
    expect(await lab.connect(v4)).toBe(first);
    expect(await lab.neighbourMac(v4)).toBe(nodeNamed(first).mac);
    await lab.agents.get(first)?.stop('SIGKILL');
    const rest = lan1.filter((n) => n.name !== first);
    const next = expectedWinner(v4, rest);
    await lab.waitForHolders(v4, {
      match: (h) => local(h).includes(`${next} eth0/24`),
      what: 'the next node in hash order',
    });
    const answered = await waitFor('the client to reach the new node', async () =>
      (await lab.connect(v4)) === next ? true : undefined,
    );
    expect(answered).toBe(true);
    expect(await lab.neighbourMac(v4)).toBe(nodeNamed(next).mac);
    // Back again: the restarted agent wins its address back and the other withdraws.
    await lab.startAgent(nodeNamed(first));
    await lab.waitForHolders(v4, {
      match: (h) => h.length === 1 && h[0] === `${first} eth0/24`,
      what: 'the address back on the first winner only',
    });
  });

  it('hands a local address over at once when the winner stops gracefully', async () => {
    const [v4 = ''] = await waitForIngress(lab, 'web', 2);
    const first = expectedWinner(v4, lan1);
    const exit = await lab.agents.get(first)?.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    const next = expectedWinner(
      v4,
      lan1.filter((n) => n.name !== first),
    );
    await lab.waitForHolders(v4, {
      match: (h) => h.length === 1 && h[0] === `${next} eth0/24`,
      what: 'the next node only',
    });
    expect(
      await waitFor('the client to reach the new node', async () =>
        (await lab.connect(v4)) === next ? true : undefined,
      ),
    ).toBe(true);
    await lab.startAgent(nodeNamed(first));
    await lab.waitForHolders(v4, {
      match: (h) => h.length === 1 && h[0] === `${first} eth0/24`,
      what: 'the address back',
    });
  });

  it('two subnets: an address is elected only among the nodes of its subnet; when they are gone it is held nowhere', async () => {
    await createLabService(lab, 'far', { group: 'lan2' });
    const [far = ''] = await waitForIngress(lab, 'far');
    await lab.waitForHolders(far, {
      match: (h) => h.length === 1 && h[0] === `${node4.name} eth1/24`,
      what: 'node 4 only',
    });
    const [v4 = ''] = await waitForIngress(lab, 'web', 2);
    expect(local(await lab.holders(v4)).map((h) => h.split(' ')[0])).not.toContain(node4.name);
    // Node 4 dies: its agent is killed and its LAN link goes down.
    await lab.agents.get(node4.name)?.stop('SIGKILL');
    await lab.lab.exec(node4, ['ip', 'link', 'set', 'eth1', 'down']);
    const said = await waitFor('the Service to say nobody can announce it', async () => {
      const s = await serviceOf('far');
      return s.announced?.reason === 'NoEligibleNode' ? s.announced : undefined;
    });
    expect(said.status).toBe('False');
    expect(said.message).toContain(`not live: ${node4.name}`);
    expect((await lab.holders(far)).filter((h) => !h.startsWith(`${node4.name} `))).toEqual([]);
    await lab.lab.exec(node4, ['ip', 'link', 'set', 'eth1', 'up']);
    await lab.startAgent(node4);
    await lab.waitForHolders(far, {
      match: (h) => h.length === 1 && h[0] === `${node4.name} eth1/24`,
      what: 'node 4 again',
    });
  });

  it('puts a virtual address on every node with the aggregation prefix and a kernel route; ETP Local follows EndpointSlices', async () => {
    await createLabService(lab, 'virt', { group: 'virtual', families: ['IPv4', 'IPv6'] });
    const [v4 = '', v6 = ''] = await waitForIngress(lab, 'virt', 2);
    const every = lab.lab.nodes.map((n) => n.name).sort();
    await lab.waitForHolders(v4, { match: (h) => h.length === 4, what: 'every node' });
    expect(await lab.holders(v4)).toEqual(every.map((n) => `${n} kube-lb0/24`));
    await lab.waitForHolders(v6, { match: (h) => h.length === 4, what: 'every node' });
    expect(await lab.holders(v6)).toEqual(every.map((n) => `${n} kube-lb0/120`));
    for (const node of lab.lab.nodes) {
      const routes = await lab.routes(node, 'kube-lb0');
      expect(routes).toEqual(
        expect.arrayContaining(['203.0.113.0/24 proto kernel', '2001:db8:3::1:0/120 proto kernel']),
      );
    }

    await createLabService(lab, 'etp', { group: 'virtual', trafficPolicy: 'Local' });
    const [etp = ''] = await waitForIngress(lab, 'etp');
    await waitFor('NoReadyEndpoint', async () =>
      (await serviceOf('etp')).announced?.reason === 'NoReadyEndpoint' ? true : undefined,
    );
    expect(await lab.holders(etp)).toEqual([]);
    const slices = `/apis/discovery.k8s.io/v1/namespaces/${lab.ns}/endpointslices`;
    const slice = (nodes: readonly LabNode[]): unknown => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'etp-1', namespace: lab.ns, labels: { 'kubernetes.io/service-name': 'etp' } },
      addressType: 'IPv4',
      ports: [{ name: 'tcp', port: 8080, protocol: 'TCP' }],
      endpoints: nodes.map((n, i) => ({
        addresses: [`10.1.0.${i + 1}`],
        nodeName: n.name,
        conditions: { ready: true, serving: true },
      })),
    });
    const two = [lab.lab.nodes[0], lab.lab.nodes[2]] as LabNode[];
    expectOk(await lab.api.post(slices, slice(two)), 'create EndpointSlice');
    await lab.waitForHolders(etp, { match: (h) => h.length === 2, what: 'the two nodes with endpoints' });
    expect(await lab.holders(etp)).toEqual(two.map((n) => `${n.name} kube-lb0/24`).sort());
    expectOk(await lab.api.put(`${slices}/etp-1`, slice([lab.lab.nodes[1] as LabNode])), 'move the endpoint');
    await lab.waitForHolders(etp, {
      match: (h) => h.length === 1 && h[0] === `${lab.lab.nodes[1]?.name ?? ''} kube-lb0/24`,
      what: 'the endpoint moved',
    });
    expectOk(await lab.api.delete(`${slices}/etp-1`), 'delete the EndpointSlice');
    await lab.waitForHolders(etp, { match: (h) => h.length === 0, what: 'withdrawn with the last endpoint' });
  });

  it('announces a shared address once and keeps it while any Service needs it', async () => {
    const shared = { 'purelb.io/allow-shared-ip': 'lab-key' };
    await createLabService(lab, 'share-a', { annotations: shared });
    const [a = ''] = await waitForIngress(lab, 'share-a');
    const [b = ''] = await (async () => {
      const r = await lab.api.post(`/api/v1/namespaces/${lab.ns}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'share-b', namespace: lab.ns, annotations: shared },
        spec: {
          type: 'LoadBalancer',
          loadBalancerClass: 'purelb.io/purelb',
          selector: { app: 'b' },
          ports: [{ name: 'udp', port: 8080, protocol: 'UDP', targetPort: 8080 }],
          allocateLoadBalancerNodePorts: false,
        },
      });
      expectOk(r, 'create share-b');
      return waitForIngress(lab, 'share-b');
    })();
    expect(b).toBe(a);
    const w = expectedWinner(a, lan1);
    await lab.waitForHolders(a, { match: (h) => h.length === 1 && h[0] === `${w} eth0/24`, what: 'one announcement' });
    expectOk(await lab.api.delete(`/api/v1/namespaces/${lab.ns}/services/share-a`), 'delete share-a');
    await waitFor(
      'share-a gone',
      async () => (await lab.api.get(`/api/v1/namespaces/${lab.ns}/services/share-a`)).status === 404,
    );
    expect(await lab.holders(a)).toEqual([`${w} eth0/24`]);
    expectOk(await lab.api.delete(`/api/v1/namespaces/${lab.ns}/services/share-b`), 'delete share-b');
    await lab.waitForHolders(a, { match: (h) => h.length === 0, what: 'withdrawn with the last Service' });
  });

  it('withdraws everywhere on address change, type change and delete', async () => {
    await createLabService(lab, 'change', { families: ['IPv4'] });
    const [before = ''] = await waitForIngress(lab, 'change');
    await lab.waitForHolders(before, { match: (h) => local(h).length === 1, what: 'held' });
    expectOk(
      await lab.api.patch(`/api/v1/namespaces/${lab.ns}/services/change`, {
        metadata: { annotations: { 'purelb.io/addresses': '192.0.2.180' } },
      }),
      'ask for another address',
    );
    await lab.waitForHolders('192.0.2.180', { match: (h) => local(h).length === 1, what: 'the new address held' });
    await lab.waitForHolders(before, { match: (h) => h.length === 0, what: 'the old address gone everywhere' });
    expectOk(
      await lab.api.patch(`/api/v1/namespaces/${lab.ns}/services/change`, {
        spec: {
          type: 'ClusterIP',
          loadBalancerClass: null,
          allocateLoadBalancerNodePorts: null,
          externalTrafficPolicy: null,
        },
      }),
      'type change',
    );
    await lab.waitForHolders('192.0.2.180', { match: (h) => h.length === 0, what: 'gone after the type change' });
    await createLabService(lab, 'gone', { group: 'virtual' });
    const [v = ''] = await waitForIngress(lab, 'gone');
    await lab.waitForHolders(v, { match: (h) => h.length === 4, what: 'everywhere' });
    expectOk(await lab.api.delete(`/api/v1/namespaces/${lab.ns}/services/gone`), 'delete');
    await lab.waitForHolders(v, { match: (h) => h.length === 0, what: 'gone after delete' });
  });

  it('restores an address removed by hand and never removes one added by hand', async () => {
    const [v4 = ''] = await waitForIngress(lab, 'web', 2);
    const w = nodeNamed(expectedWinner(v4, lan1));
    await lab.lab.exec(w, ['ip', 'addr', 'del', `${v4}/24`, 'dev', 'eth0']);
    await lab.waitForHolders(v4, {
      match: (h) => h.length === 1 && h[0] === `${w.name} eth0/24`,
      what: 'the address back',
    });
    await lab.lab.exec(w, ['ip', 'addr', 'add', '192.0.2.99/24', 'dev', 'eth0']);
    await lab.lab.exec(w, ['ip', 'addr', 'add', '203.0.113.99/32', 'dev', 'kube-lb0']);
    // A restart sweeps only what the agent marked: the hand-made addresses stay.
    await lab.agents.get(w.name)?.stop('SIGKILL');
    await lab.startAgent(w);
    await lab.waitForHolders(v4, {
      match: (h) => h.length === 1 && h[0] === `${w.name} eth0/24`,
      what: 'the address held after the restart',
    });
    expect(await lab.holders('192.0.2.99')).toEqual([`${w.name} eth0/24`]);
    expect(await lab.holders('203.0.113.99')).toEqual([`${w.name} kube-lb0/32`]);
  });

  it('sweeps a stale address after a SIGKILL and a Service deletion while the agent was down', async () => {
    await createLabService(lab, 'stale', { group: 'virtual' });
    const [v = ''] = await waitForIngress(lab, 'stale');
    await lab.waitForHolders(v, { match: (h) => h.length === 4, what: 'everywhere' });
    const n1 = lab.lab.nodes[0] as LabNode;
    await lab.agents.get(n1.name)?.stop('SIGKILL');
    expectOk(await lab.api.delete(`/api/v1/namespaces/${lab.ns}/services/stale`), 'delete');
    await lab.waitForHolders(v, {
      match: (h) => h.length === 1 && h[0] === `${n1.name} kube-lb0/24`,
      what: 'only the dead agent’s copy left',
    });
    await lab.startAgent(n1);
    await lab.waitForHolders(v, { match: (h) => h.length === 0, what: 'swept' });
  });
});
