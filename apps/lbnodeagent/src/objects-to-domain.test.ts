import { describe, expect, it } from 'vitest';
import type { EndpointObject, EndpointSliceObject, LeaseObject, ServiceObject } from './kube-objects.ts';
import {
  endpointNodes,
  groupsByName,
  leaseToMember,
  notReadyNodes,
  parseSubnets,
  serviceToView,
} from './objects-to-domain.ts';

const ours = {
  'purelb.io/allocated-by': 'PureLB',
  'purelb.io/allocated-from': 'default',
  'purelb.io/pool-type': 'local',
};

function service(
  over: { annotations?: Record<string, string>; spec?: ServiceObject['spec']; ingress?: string[] } = {},
): ServiceObject {
  return {
    metadata: { namespace: 'ns', name: 'web', annotations: over.annotations ?? ours },
    spec: over.spec ?? { type: 'LoadBalancer' },
    status: { loadBalancer: { ingress: (over.ingress ?? ['192.0.2.10']).map((ip) => ({ ip })) } },
  };
}

describe('serviceToView', () => {
  it.each<[string, ServiceObject, boolean, boolean]>([
    ['unset class, allocated by PureLB', service(), true, true],
    ['unset class with --default-class=false', service(), false, false],
    [
      'our class with --default-class=false',
      service({ spec: { type: 'LoadBalancer', loadBalancerClass: 'purelb.io/purelb' } }),
      false,
      true,
    ],
    ['another class', service({ spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' } }), true, false],
    ['not a LoadBalancer', service({ spec: { type: 'ClusterIP' } }), true, false],
    ['without the allocator annotation', service({ annotations: {} }), true, false],
    ['allocated by someone else', service({ annotations: { 'purelb.io/allocated-by': 'MetalLB' } }), true, false],
  ])('%s', (_, svc, defaultClass, owned) => {
    const view = serviceToView(svc, { defaultClass });
    expect(view.owned).toBe(owned);
    expect(view.addresses.map(({ family, address }) => ({ family, address }))).toEqual(
      owned ? [{ family: 'IPv4', address: '192.0.2.10' }] : [],
    );
  });

  it('reads addresses canonically, in ingress order, one per family, skipping junk', () => {
    const view = serviceToView(service({ ingress: ['2001:DB8:0:0::5', 'not-an-ip', '192.0.2.1', '192.0.2.2', ''] }), {
      defaultClass: true,
    });
    expect(view.addresses).toEqual([
      { family: 'IPv6', address: '2001:db8::5', ip: { family: 'IPv6', value: 0x20010db8000000000000000000000005n } },
      { family: 'IPv4', address: '192.0.2.1', ip: { family: 'IPv4', value: 0xc0000201n } },
    ]);
  });

  it('reads group, pool type, traffic policy and sharing key', () => {
    const view = serviceToView(
      service({
        annotations: { ...ours, 'purelb.io/pool-type': 'virtual', 'purelb.io/allow-shared-ip': ' key ' },
        spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      }),
      { defaultClass: true },
    );
    expect(view).toEqual({
      key: 'ns/web',
      owned: true,
      addresses: [{ family: 'IPv4', address: '192.0.2.10', ip: { family: 'IPv4', value: 0xc000020an } }],
      group: 'default',
      poolType: 'virtual',
      trafficPolicy: 'Local',
      sharingKey: 'key',
      announcedBy: {},
    });
    expect(
      serviceToView(
        service({
          annotations: {
            ...ours,
            'purelb.io/announcing-IPv4': 'node-a,eth0',
            'purelb.io/announcing-IPv6': ' node-b , eth1',
          },
        }),
        { defaultClass: true },
      ).announcedBy,
    ).toEqual({
      IPv4: 'node-a',
      IPv6: 'node-b',
    });
    expect(
      serviceToView(service({ annotations: { ...ours, 'purelb.io/pool-type': 'netbox' } }), { defaultClass: true })
        .poolType,
    ).toBeUndefined();
  });
});

describe('endpointNodes', () => {
  const slice = (
    name: string,
    service: string | undefined,
    endpoints: readonly EndpointObject[] | null,
  ): EndpointSliceObject => ({
    metadata: {
      namespace: 'ns',
      name,
      ...(service === undefined ? {} : { labels: { 'kubernetes.io/service-name': service } }),
    },
    endpoints,
  });
  it('collects nodes of ready or serving endpoints per Service', () => {
    const nodes = endpointNodes([
      slice('a-1', 'a', [
        { nodeName: 'n1', conditions: { ready: true } },
        { nodeName: 'n2', conditions: { ready: false, serving: true, terminating: true } },
        { nodeName: 'n3', conditions: { ready: false, serving: false } },
        { nodeName: 'n4' },
        { conditions: { ready: true } },
      ]),
      slice('a-2', 'a', [{ nodeName: 'n5', conditions: { ready: false } }]),
      slice('b-1', 'b', null),
      slice('orphan', undefined, [{ nodeName: 'n1' }]),
    ]);
    expect([...nodes.keys()]).toEqual(['ns/a']);
    expect([...(nodes.get('ns/a') ?? [])].sort()).toEqual(['n1', 'n2', 'n4']);
  });
});

describe('notReadyNodes', () => {
  it('excludes nodes whose Ready condition is False or Unknown, and only those', () => {
    const nodes = notReadyNodes([
      { metadata: { name: 'a' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { metadata: { name: 'b' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      { metadata: { name: 'c' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
      { metadata: { name: 'd' }, status: {} },
    ]);
    expect([...nodes].sort()).toEqual(['b', 'c']);
  });
});

describe('leaseToMember', () => {
  const lease = (name: string, annotations?: Record<string, string>): LeaseObject => ({
    metadata: { name, resourceVersion: '7', ...(annotations === undefined ? {} : { annotations }) },
    spec: { holderIdentity: 'x', leaseDurationSeconds: 3, renewTime: '2026-01-02T03:04:05.123456Z' },
  });
  it('reads a membership Lease', () => {
    expect(
      leaseToMember(lease('purelb-node-a', { 'purelb.io/subnets': '192.0.2.7/24, 2001:db8:1::1/64,bad' })),
    ).toEqual({
      node: 'a',
      subnets: ['192.0.2.0/24', '2001:db8:1::/64'],
      durationMs: 3000,
      renewedAtEpochMs: Date.parse('2026-01-02T03:04:05.123Z'),
      resourceVersion: '7',
    });
  });
  it.each(['purelb-allocator', 'purelb-node-', 'other'])('ignores the Lease %s', (name) => {
    expect(leaseToMember(lease(name))).toBeUndefined();
  });
  it('parses subnets leniently', () => {
    expect(parseSubnets(undefined)).toEqual([]);
    expect(parseSubnets('198.51.100.9/24,198.51.100.0/24')).toEqual(['198.51.100.0/24']);
  });
});

describe('groupsByName', () => {
  it('keeps the valid groups', () => {
    const groups = groupsByName([
      {
        metadata: { name: 'good' },
        spec: { local: { v4pools: [{ pool: '192.0.2.10-192.0.2.20', subnet: '192.0.2.0/24', aggregation: '/32' }] } },
      },
      { metadata: { name: 'bad' }, spec: { local: {} } },
    ]);
    expect([...groups.keys()]).toEqual(['good']);
  });
});
