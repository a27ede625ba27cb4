import { electWinner } from '@purelb/election';
import { formatCidr, parseAddress, parseCidr } from '@purelb/ipam-core';
import type { Cidr } from '@purelb/ipam-core';
import { describe, expect, it } from 'vitest';
import { decideNode } from './decide-node.ts';
import type { NodeDecision } from './decide-node.ts';
import { toElectionView } from './election-view.ts';
import type { ServiceView } from './objects-to-domain.ts';
import type { LocalInterfaces } from './select-local-interfaces.ts';

const cidr = (text: string): Cidr => {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(text);
  return r.value;
};

const LAN1: LocalInterfaces = {
  IPv4: { name: 'eth0', subnets: [cidr('192.0.2.0/24')] },
  IPv6: { name: 'eth0', subnets: [cidr('2001:db8:1::/64')] },
};
const LAN2: LocalInterfaces = { IPv4: { name: 'eth1', subnets: [cidr('198.51.100.0/24')] } };

interface World {
  readonly nodes: Readonly<Record<string, LocalInterfaces>>;
  readonly live: readonly string[];
  readonly services: readonly ServiceView[];
  readonly endpoints?: Readonly<Record<string, readonly string[]>>;
}

const svc = (name: string, addresses: string[], over: Partial<ServiceView> = {}): ServiceView => ({
  key: `ns/${name}`,
  owned: true,
  addresses: addresses.map((address) => {
    const ip = parseAddress(address);
    if (!ip.ok) throw new Error(address);
    return { family: ip.value.family, address, ip: ip.value };
  }),
  group: 'default',
  poolType: 'local',
  trafficPolicy: 'Cluster',
  sharingKey: undefined,
  announcedBy: {},
  ...over,
});

const subnetsOf = (l: LocalInterfaces): string[] => Object.values(l).flatMap((i) => i.subnets.map(formatCidr));

/** Every node's decision in one world. */
function decideAll(world: World): Record<string, NodeDecision> {
  const candidates = Object.entries(world.nodes).map(([name, l]) => ({
    name,
    subnets: subnetsOf(l),
    live: world.live.includes(name),
  }));
  const live = new Set(world.live);
  const steward = [...live].sort()[0];
  const endpoints = new Map(Object.entries(world.endpoints ?? {}).map(([k, v]) => [k, new Set(v)]));
  const out: Record<string, NodeDecision> = {};
  for (const [node, localInterfaces] of Object.entries(world.nodes)) {
    out[node] = decideNode({
      node,
      virtualInterface: 'kube-lb0',
      localInterfaces,
      services: world.services,
      endpoints,
      live,
      steward,
      winnerOf: (address) => toElectionView(electWinner({ address, candidates })),
      virtualPrefixLength: (_, a) => (a.family === 'IPv4' ? 24 : 64),
    });
  }
  return out;
}

/** Per node, what it holds: `address iface/prefix kind`. */
function holdings(decisions: Record<string, NodeDecision>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(decisions).map(([node, d]) => [
      node,
      [...d.addresses.values()].map((a) => `${a.address} ${a.interface}/${a.prefixLength} ${a.kind}`).sort(),
    ]),
  );
}

const three = { a: LAN1, b: LAN1, c: LAN1 };
const winner = (address: string, nodes: string[]): string => {
  const r = electWinner({
    address,
    candidates: nodes.map((name) => ({ name, subnets: ['192.0.2.0/24', '2001:db8:1::/64'], live: true })),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.winner;
};

describe('decideNode', () => {
  it('a local address is held by exactly the elected node, on its interface with the interface prefix', () => {
    const d = decideAll({ nodes: three, live: ['a', 'b', 'c'], services: [svc('web', ['192.0.2.240'])] });
    const w = winner('192.0.2.240', ['a', 'b', 'c']);
    const h = holdings(d);
    expect(Object.entries(h).filter(([, v]) => v.length > 0)).toEqual([[w, ['192.0.2.240 eth0/24 local']]]);
    for (const node of ['a', 'b', 'c']) {
      const ann = d[node]?.services.get('ns/web');
      expect(ann?.addresses[0]?.holding).toEqual({ kind: 'local', winner: w });
      expect(ann?.writer).toBe(w);
    }
  });

  it('marks a local address for announcement only when another node announced it last', () => {
    const w = winner('192.0.2.240', ['a', 'b', 'c']);
    const other = ['a', 'b', 'c'].find((n) => n !== w) ?? '';
    const flag = (announcedBy: ServiceView['announcedBy']): boolean | undefined =>
      decideAll({ nodes: three, live: ['a', 'b', 'c'], services: [svc('web', ['192.0.2.240'], { announcedBy })] })[
        w
      ]?.addresses.get('192.0.2.240')?.announce;
    expect(flag({ IPv4: other })).toBe(true);
    expect(flag({ IPv4: w })).toBe(false);
    expect(flag({})).toBe(false);
    expect(flag({ IPv6: other })).toBe(false);
  });

  it('elects each family on its own', () => {
    const addresses = ['192.0.2.240', '2001:db8:1::10'];
    const h = holdings(decideAll({ nodes: three, live: ['a', 'b', 'c'], services: [svc('web', addresses)] }));
    expect(Object.values(h).flat().sort()).toEqual(['192.0.2.240 eth0/24 local', '2001:db8:1::10 eth0/64 local']);
    expect(h[winner('2001:db8:1::10', ['a', 'b', 'c'])]).toContain('2001:db8:1::10 eth0/64 local');
    expect(h[winner('192.0.2.240', ['a', 'b', 'c'])]).toContain('192.0.2.240 eth0/24 local');
  });

  it('a node that is not live neither wins nor holds; the next in hash order takes over', () => {
    const first = winner('192.0.2.240', ['a', 'b', 'c']);
    const rest = ['a', 'b', 'c'].filter((n) => n !== first);
    const h = holdings(decideAll({ nodes: three, live: rest, services: [svc('web', ['192.0.2.240'])] }));
    expect(h[first]).toEqual([]);
    expect(h[winner('192.0.2.240', rest)]).toEqual(['192.0.2.240 eth0/24 local']);
  });

  it('ignores externalTrafficPolicy for local addresses', () => {
    const h = holdings(
      decideAll({
        nodes: three,
        live: ['a', 'b', 'c'],
        services: [svc('web', ['192.0.2.240'], { trafficPolicy: 'Local' })],
        endpoints: {},
      }),
    );
    expect(Object.values(h).flat()).toEqual(['192.0.2.240 eth0/24 local']);
  });

  it('a virtual address goes on every node, with the aggregation prefix; the steward writes', () => {
    const d = decideAll({ nodes: three, live: ['a', 'b', 'c'], services: [svc('v', ['203.0.113.5'])] });
    expect(holdings(d)).toEqual({
      a: ['203.0.113.5 kube-lb0/24 virtual'],
      b: ['203.0.113.5 kube-lb0/24 virtual'],
      c: ['203.0.113.5 kube-lb0/24 virtual'],
    });
    expect(d.b?.services.get('ns/v')).toMatchObject({
      writer: 'a',
      addresses: [{ holding: { kind: 'virtual', holders: 3, endpointsOnly: false } }],
    });
  });

  it('pool type virtual makes an address on a local subnet virtual', () => {
    const h = holdings(
      decideAll({ nodes: three, live: ['a', 'b', 'c'], services: [svc('v', ['192.0.2.7'], { poolType: 'virtual' })] }),
    );
    expect(Object.values(h).flat()).toEqual(Array(3).fill('192.0.2.7 kube-lb0/24 virtual'));
  });

  it.each<[string, Record<string, string[]>, string[], unknown]>([
    [
      'on the nodes with a ready endpoint only',
      { 'ns/v': ['b', 'c', 'gone'] },
      ['b', 'c'],
      { kind: 'virtual', holders: 2, endpointsOnly: true },
    ],
    ['nowhere without a ready endpoint', {}, [], { kind: 'nowhere', why: 'no-endpoint', notLive: [] }],
  ])('externalTrafficPolicy Local: a virtual address %s', (_, endpoints, holders, holding) => {
    const d = decideAll({
      nodes: three,
      live: ['a', 'b', 'c'],
      services: [svc('v', ['203.0.113.5'], { trafficPolicy: 'Local' })],
      endpoints,
    });
    expect(
      Object.entries(holdings(d))
        .filter(([, v]) => v.length > 0)
        .map(([n]) => n),
    ).toEqual(holders);
    expect(d.a?.services.get('ns/v')?.addresses[0]?.holding).toEqual(holding);
  });

  it('a shared address is one announcement for all its Services, and ignores externalTrafficPolicy', () => {
    const services = [
      svc('one', ['203.0.113.5'], { sharingKey: 'k', trafficPolicy: 'Local' }),
      svc('two', ['203.0.113.5'], { sharingKey: 'k' }),
    ];
    const d = decideAll({ nodes: three, live: ['a', 'b', 'c'], services, endpoints: {} });
    expect(holdings(d)).toEqual({
      a: ['203.0.113.5 kube-lb0/24 virtual'],
      b: ['203.0.113.5 kube-lb0/24 virtual'],
      c: ['203.0.113.5 kube-lb0/24 virtual'],
    });
    expect(d.a?.addresses.get('203.0.113.5')?.services).toEqual(['ns/one', 'ns/two']);
  });

  it('two subnets: elected only among the nodes of its subnet, held by no other node; when those are gone it is held nowhere', () => {
    const nodes = { a: LAN1, b: LAN1, c: LAN2 };
    const services = [svc('web', ['192.0.2.240']), svc('far', ['198.51.100.7'])];
    const h = holdings(decideAll({ nodes, live: ['a', 'b', 'c'], services }));
    const w = winner('192.0.2.240', ['a', 'b']);
    expect(h[w]).toEqual(['192.0.2.240 eth0/24 local']);
    expect(h[w === 'a' ? 'b' : 'a']).toEqual([]);
    expect(h.c).toEqual(['198.51.100.7 eth1/24 local']);

    const gone = decideAll({ nodes, live: ['c'], services });
    expect(holdings(gone)).toEqual({ a: [], b: [], c: ['198.51.100.7 eth1/24 local'] });
    expect(gone.c?.services.get('ns/web')).toMatchObject({
      writer: 'c',
      addresses: [{ holding: { kind: 'nowhere', why: 'subnet-not-live', notLive: ['a', 'b'] } }],
    });
  });

  it('an address on no member subnet is virtual on every node, local subnets or not', () => {
    const nodes = { a: LAN1, c: LAN2 };
    const h = holdings(decideAll({ nodes, live: ['a', 'c'], services: [svc('v', ['203.0.113.5'])] }));
    expect(h).toEqual({ a: ['203.0.113.5 kube-lb0/24 virtual'], c: ['203.0.113.5 kube-lb0/24 virtual'] });
  });

  it('Services that are not ours, or have no address, need nothing', () => {
    const d = decideAll({
      nodes: three,
      live: ['a', 'b', 'c'],
      services: [svc('x', ['192.0.2.240'], { owned: false }), svc('y', [])],
    });
    expect(Object.values(holdings(d)).flat()).toEqual([]);
    expect(d.a?.services.size).toBe(0);
  });

  it('the writer of a dual-stack Service is the winner of its first local address', () => {
    const d = decideAll({
      nodes: three,
      live: ['a', 'b', 'c'],
      services: [svc('web', ['2001:db8:1::10', '203.0.113.9'])],
    });
    expect(d.c?.services.get('ns/web')?.writer).toBe(winner('2001:db8:1::10', ['a', 'b', 'c']));
  });

  it('with no live node nothing is held and nobody writes', () => {
    const d = decideAll({ nodes: three, live: [], services: [svc('web', ['192.0.2.240', '203.0.113.9'])] });
    expect(Object.values(holdings(d)).flat()).toEqual([
      '203.0.113.9 kube-lb0/24 virtual',
      '203.0.113.9 kube-lb0/24 virtual',
      '203.0.113.9 kube-lb0/24 virtual',
    ]);
    expect(d.a?.services.get('ns/web')).toMatchObject({
      writer: undefined,
      addresses: [
        { holding: { kind: 'nowhere', why: 'no-live-node' } },
        { holding: { kind: 'nowhere', why: 'no-live-node' } },
      ],
    });
  });
});
