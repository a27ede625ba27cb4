import { describe, expect, it } from 'vitest';
import { labMac, planLab } from './lab-plan.ts';
import type { LabPlan } from './lab-plan.ts';

function plan(input: Parameters<typeof planLab>[0]): LabPlan {
  const result = planLab(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('planLab', () => {
  it('puts N nodes and a client on LAN 1 with the documented addresses, names and MACs', () => {
    const lab = plan({ id: 'a1b2c3', nodes: 3 });
    expect(lab.switchNamespace).toBe('plab-a1b2c3-lan');
    expect(lab.namespaces).toEqual([
      'plab-a1b2c3-lan',
      'plab-a1b2c3-node-1',
      'plab-a1b2c3-node-2',
      'plab-a1b2c3-node-3',
      'plab-a1b2c3-client',
    ]);
    expect(lab.nodes.map((n) => [n.index, n.name, n.interface, n.ipv4, n.ipv6, n.mac])).toEqual([
      [1, 'a1b2c3-node-1', 'eth0', '192.0.2.11', '2001:db8:1::11', '02:00:01:00:00:0b'],
      [2, 'a1b2c3-node-2', 'eth0', '192.0.2.12', '2001:db8:1::12', '02:00:01:00:00:0c'],
      [3, 'a1b2c3-node-3', 'eth0', '192.0.2.13', '2001:db8:1::13', '02:00:01:00:00:0d'],
    ]);
    expect(lab.nodes[0]!.interfaces).toEqual([
      {
        name: 'eth0',
        segment: 'lan1',
        mac: '02:00:01:00:00:0b',
        ipv4: '192.0.2.11',
        ipv6: '2001:db8:1::11',
        ipv4Cidr: '192.0.2.11/24',
        ipv6Cidr: '2001:db8:1::11/64',
        bridgePort: 'n1-eth0',
      },
    ]);
    expect(lab.client).toMatchObject({ kind: 'client', ipv4: '192.0.2.200', ipv6: '2001:db8:1::200' });
    expect(lab.segments).toEqual([
      {
        name: 'lan1',
        bridge: 'br0',
        ipv4Subnet: '192.0.2.0/24',
        ipv6Subnet: '2001:db8:1::/64',
        gateway: undefined,
        free: { ipv4: '192.0.2.128/26', ipv6: '2001:db8:1::1:0/112' },
      },
    ]);
    expect(lab.router).toBeUndefined();
    expect(lab.hosts.every((h) => h.defaultVia === undefined && !h.forwarding)).toBe(true);
  });

  it('adds a second LAN on eth1 of the chosen nodes only', () => {
    const lab = plan({ id: 'x', nodes: 3, secondLan: [3, 2] });
    expect(lab.segments.map((s) => [s.name, s.bridge, s.ipv4Subnet, s.ipv6Subnet])).toEqual([
      ['lan1', 'br0', '192.0.2.0/24', '2001:db8:1::/64'],
      ['lan2', 'br1', '198.51.100.0/24', '2001:db8:2::/64'],
    ]);
    expect(lab.nodes.map((n) => n.interfaces.map((i) => `${i.name} ${i.ipv4Cidr} ${i.ipv6Cidr} ${i.mac}`))).toEqual([
      ['eth0 192.0.2.11/24 2001:db8:1::11/64 02:00:01:00:00:0b'],
      [
        'eth0 192.0.2.12/24 2001:db8:1::12/64 02:00:01:00:00:0c',
        'eth1 198.51.100.12/24 2001:db8:2::12/64 02:00:02:00:00:0c',
      ],
      [
        'eth0 192.0.2.13/24 2001:db8:1::13/64 02:00:01:00:00:0d',
        'eth1 198.51.100.13/24 2001:db8:2::13/64 02:00:02:00:00:0d',
      ],
    ]);
  });

  it('puts nodes listed in secondLanOnly on LAN 2 alone, their eth0 there, routed through LAN 2', () => {
    const lab = plan({ id: 'o', nodes: 3, secondLan: [2], secondLanOnly: [3], router: true });
    expect(
      lab.nodes.map((n) => n.interfaces.map((i) => `${i.name} ${i.segment} ${i.ipv4Cidr} ${i.bridgePort}`)),
    ).toEqual([
      ['eth0 lan1 192.0.2.11/24 n1-eth0'],
      ['eth0 lan1 192.0.2.12/24 n2-eth0', 'eth1 lan2 198.51.100.12/24 n2-eth1'],
      ['eth0 lan2 198.51.100.13/24 n3-eth0'],
    ]);
    expect(lab.nodes[2]).toMatchObject({ interface: 'eth0', ipv4: '198.51.100.13', ipv6: '2001:db8:2::13' });
    expect(lab.nodes[2]!.defaultVia).toEqual({ ipv4: '198.51.100.1', ipv6: '2001:db8:2::1' });
    expect(plan({ id: 'o', nodes: 2, secondLanOnly: [2] }).segments.map((s) => s.name)).toEqual(['lan1', 'lan2']);
  });

  it('with a router: gateways on every LAN, default routes, a remote client on its own subnet', () => {
    const lab = plan({ id: 'r', nodes: 2, secondLan: [2], router: true });
    expect(lab.router).toMatchObject({
      kind: 'router',
      namespace: 'plab-r-router',
      forwarding: true,
      defaultVia: undefined,
    });
    expect(lab.router!.interfaces.map((i) => `${i.name} ${i.segment} ${i.ipv4Cidr} ${i.ipv6Cidr}`)).toEqual([
      'eth0 lan1 192.0.2.1/24 2001:db8:1::1/64',
      'eth1 lan2 198.51.100.1/24 2001:db8:2::1/64',
      'eth2 remote 203.0.113.1/24 2001:db8:3::1/64',
    ]);
    expect(lab.remoteClient).toMatchObject({
      kind: 'remote-client',
      namespace: 'plab-r-remote',
      ipv4: '203.0.113.200',
      ipv6: '2001:db8:3::200',
      defaultVia: { ipv4: '203.0.113.1', ipv6: '2001:db8:3::1' },
    });
    for (const host of [...lab.nodes, lab.client]) {
      expect(host.defaultVia).toEqual({ ipv4: '192.0.2.1', ipv6: '2001:db8:1::1' });
    }
    expect(lab.segments.map((s) => s.gateway)).toEqual([
      { ipv4: '192.0.2.1', ipv6: '2001:db8:1::1' },
      { ipv4: '198.51.100.1', ipv6: '2001:db8:2::1' },
      { ipv4: '203.0.113.1', ipv6: '2001:db8:3::1' },
    ]);
    expect(lab.namespaces).toEqual([
      'plab-r-lan',
      'plab-r-node-1',
      'plab-r-node-2',
      'plab-r-client',
      'plab-r-router',
      'plab-r-remote',
    ]);
  });

  it('keeps every interface name within the kernel limit of 15 characters, and unique per namespace', () => {
    const lab = plan({ id: 'abcdef', nodes: 100, secondLan: [99, 100], router: true });
    const ports = lab.hosts.flatMap((h) => h.interfaces.map((i) => i.bridgePort));
    expect(new Set(ports).size).toBe(ports.length);
    for (const name of [...ports, ...lab.hosts.flatMap((h) => h.interfaces.map((i) => i.name))]) {
      expect(name.length).toBeLessThanOrEqual(15);
    }
    expect(lab.nodes[99]).toMatchObject({ ipv4: '192.0.2.110', ipv6: '2001:db8:1::110' });
  });

  it('never hands out an address inside the free ranges or twice', () => {
    const lab = plan({ id: 'f', nodes: 100, secondLan: [1, 50, 100], router: true });
    const v4 = lab.hosts.flatMap((h) => h.interfaces.map((i) => i.ipv4));
    expect(new Set(v4).size).toBe(v4.length);
    const lastOctets = v4.map((a) => Number(a.split('.')[3]));
    expect(lastOctets.filter((o) => o >= 128 && o <= 191)).toEqual([]);
  });

  it('reports every problem with its path', () => {
    expect(planLab({ id: 'Bad_Id', nodes: 0, secondLan: [0, 2, 2] })).toEqual({
      ok: false,
      errors: [
        {
          code: 'InvalidId',
          path: 'id',
          message: 'lab id "Bad_Id" is not 1-32 lower-case letters, digits and inner dashes',
        },
        { code: 'InvalidNodeCount', path: 'nodes', message: 'node count 0 is not a whole number from 1 to 100' },
        { code: 'InvalidSecondLanNode', path: 'secondLan[0]', message: 'node 0 is not a node of this lab' },
        { code: 'InvalidSecondLanNode', path: 'secondLan[1]', message: 'node 2 is not a node of this lab' },
        { code: 'InvalidSecondLanNode', path: 'secondLan[2]', message: 'node 2 is not a node of this lab' },
      ],
    });
    expect(planLab({ id: 'ok', nodes: 3, secondLan: [2, 2] })).toMatchObject({
      ok: false,
      errors: [{ path: 'secondLan[1]', message: 'node 2 is listed twice' }],
    });
    expect(planLab({ id: 'ok', nodes: 3, secondLan: [2], secondLanOnly: [3, 2] })).toMatchObject({
      ok: false,
      errors: [{ code: 'InvalidSecondLanNode', path: 'secondLanOnly[1]', message: 'node 2 is listed twice' }],
    });
    expect(planLab({ id: 'ok', nodes: 101 }).ok).toBe(false);
    expect(planLab({ id: 'ok', nodes: 2.5 }).ok).toBe(false);
  });

  it('makes locally administered unicast MACs', () => {
    expect(labMac('lan1', 200)).toBe('02:00:01:00:00:c8');
    expect(labMac('remote', 1)).toBe('02:00:03:00:00:01');
  });
});
