import { WIRE_MANAGED_FIELDS, wireService as wireObject } from '@purelb/k8s-watch/testing';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config-reconciler.ts';
import type { LBNodeAgentObject, LeaseObject, NodeObject, ServiceObject } from './kube-objects.ts';
import { endpointNodes, groupsByName, leaseToMember, notReadyNodes, serviceToView } from './objects-to-domain.ts';
import { observeService } from './observe-service.ts';
import { projectCustom, projectEndpointSlice, projectLease, projectNode, projectService } from './project-objects.ts';

const managedFields = WIRE_MANAGED_FIELDS;

/** A dual-stack Service as the API server sends it after the allocator and an agent wrote to it. */
function wireService(over: { spec?: Record<string, unknown>; status?: Record<string, unknown> } = {}): object {
  return wireObject({
    annotations: {
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': 'default',
      'purelb.io/pool-type': 'local',
      'purelb.io/allow-shared-ip': 'team-a',
      'purelb.io/announcing-IPv4': 'node-2,eth0',
      'purelb.io/announcing-IPv6': 'node-1,eth0',
    },
    spec: {
      loadBalancerClass: 'purelb.io/purelb',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 31234,
      ...over.spec,
    },
    status: {
      loadBalancer: {
        ingress: [
          { ip: '192.0.2.10', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] },
          { ip: '2001:db8::10', ipMode: 'VIP' },
        ],
      },
      conditions: [
        { type: 'purelb.io/Allocated', status: 'True', reason: 'Allocated', message: 'from default' },
        {
          type: 'purelb.io/Announced',
          status: 'True',
          reason: 'Announced',
          message: 'node-2 holds 192.0.2.10',
          lastTransitionTime: '2026-11-30T10:00:01Z',
          observedGeneration: 3,
        },
      ],
      ...over.status,
    },
  });
}

describe('projectService', () => {
  it.each([
    ['as written', wireService()],
    ['without a class', wireService({ spec: { loadBalancerClass: null } })],
    ['of another type', wireService({ spec: { type: 'ClusterIP' } })],
    ['without a status', { ...wireService(), status: undefined }],
    ['with a load balancer but no ingress', wireService({ status: { loadBalancer: {} } })],
  ])('reads the same view and observation from the projection as from the whole Service (%s)', (_, raw) => {
    const whole = raw as ServiceObject;
    const projected = projectService(raw);
    for (const defaultClass of [true, false])
      expect(serviceToView(projected, { defaultClass })).toEqual(serviceToView(whole, { defaultClass }));
    expect(observeService(projected)).toEqual(observeService(whole));
  });

  it('drops managedFields, labels, other annotations and the spec fields the agent never reads', () => {
    const projected = projectService(wireService());
    expect(JSON.stringify(projected)).not.toMatch(/managedFields|last-applied|example\.com|clusterIP|selector|ports/);
    expect(projected.metadata?.annotations).toEqual({
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': 'default',
      'purelb.io/pool-type': 'local',
      'purelb.io/allow-shared-ip': 'team-a',
      'purelb.io/announcing-IPv4': 'node-2,eth0',
      'purelb.io/announcing-IPv6': 'node-1,eth0',
    });
    expect(projected.spec).toEqual({
      type: 'LoadBalancer',
      loadBalancerClass: 'purelb.io/purelb',
      externalTrafficPolicy: 'Local',
    });
  });

  it('keeps our condition as sent and no other', () => {
    const projected = projectService(wireService());
    expect(projected.status?.conditions).toEqual([(wireService() as ServiceObject).status?.conditions?.[1]]);
  });

  it('never throws on junk', () => {
    expect(() =>
      projectService({ metadata: 'x', spec: [], status: { loadBalancer: { ingress: [null, 7] }, conditions: 'no' } }),
    ).not.toThrow();
    expect(serviceToView(projectService({ spec: { type: 7 } }), { defaultClass: true }).owned).toBe(false);
  });
});

function wireSlice(
  endpoints: unknown,
  labels: Record<string, string> = { 'kubernetes.io/service-name': 'web' },
): object {
  return {
    metadata: {
      name: 'web-abcde',
      namespace: 'shop',
      resourceVersion: '9',
      labels: { ...labels, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ kind: 'Service', name: 'web' }],
      managedFields,
    },
    addressType: 'IPv4',
    endpoints,
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

const pod = (node: string | undefined, i: number, conditions?: Record<string, unknown>): object => ({
  addresses: [`10.244.0.${i}`],
  ...(conditions === undefined ? {} : { conditions }),
  ...(node === undefined ? {} : { nodeName: node }),
  targetRef: { kind: 'Pod', name: `web-${i}`, namespace: 'shop', uid: `uid-${i}` },
  zone: 'a',
});

describe('projectEndpointSlice', () => {
  const slices: [string, object][] = [
    [
      'many ready Pods on few nodes',
      wireSlice(Array.from({ length: 60 }, (_, i) => pod(`node-${i % 3}`, i, { ready: true, serving: true }))),
    ],
    [
      'every readiness on one node',
      wireSlice([
        pod('node-1', 1, { ready: false, serving: false, terminating: true }),
        pod('node-1', 2, { ready: false, serving: true, terminating: true }),
        pod('node-2', 3, { ready: null }),
        pod('node-3', 4),
        pod('node-4', 5, { ready: false }),
        pod(undefined, 6, { ready: true }),
      ]),
    ],
    ['no endpoints', wireSlice(null)],
    ['no Service label', wireSlice([pod('node-1', 1)], {})],
  ];

  it.each(slices)('gives the same endpoint nodes as the whole slice (%s)', (_, raw) => {
    const whole = new Map([['shop/web-abcde', raw]]);
    const projected = new Map([['shop/web-abcde', projectEndpointSlice(raw)]]);
    expect(endpointNodes(projected.values())).toEqual(endpointNodes(whole.values()));
  });

  it('keeps one endpoint per node and readiness, and only the Service label', () => {
    const projected = projectEndpointSlice(slices[0]?.[1] ?? {});
    expect(projected.endpoints).toEqual([
      { nodeName: 'node-0', conditions: { ready: true, serving: true } },
      { nodeName: 'node-1', conditions: { ready: true, serving: true } },
      { nodeName: 'node-2', conditions: { ready: true, serving: true } },
    ]);
    expect(projected.metadata).toEqual({
      name: 'web-abcde',
      namespace: 'shop',
      resourceVersion: '9',
      labels: { 'kubernetes.io/service-name': 'web' },
    });
  });
});

describe('projectNode', () => {
  const node = (conditions: unknown): object => ({
    metadata: { name: 'node-1', resourceVersion: '5', labels: { 'kubernetes.io/os': 'linux' }, managedFields },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions,
      addresses: [{ type: 'InternalIP', address: '192.0.2.11' }],
      images: [{ names: ['registry.example/app:1'], sizeBytes: 1000 }],
      nodeInfo: { kernelVersion: '6.1.0' },
    },
  });

  it.each([
    [
      'ready',
      [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
    ],
    ['not ready', [{ type: 'Ready', status: 'False' }]],
    ['unknown', [{ type: 'Ready', status: 'Unknown' }]],
    ['no Ready condition', [{ type: 'DiskPressure', status: 'False' }]],
    ['no conditions', undefined],
  ])('says the same of a Node that is %s, keeping only its name and Ready condition', (_, conditions) => {
    const raw = node(conditions);
    const projected = projectNode(raw);
    expect(notReadyNodes([projected])).toEqual(notReadyNodes([raw as NodeObject]));
    expect(JSON.stringify(projected)).not.toMatch(/images|addresses|nodeInfo|labels|Pressure|podCIDR/);
  });
});

describe('projectLease', () => {
  it('reads the same member and keeps only holder, timing and subnets', () => {
    const raw = {
      metadata: {
        name: 'purelb-node-node-1',
        namespace: 'purelb',
        resourceVersion: '77',
        annotations: { 'purelb.io/subnets': '192.0.2.0/24,2001:db8::/64', 'example.com/x': 'y' },
        managedFields,
      },
      spec: {
        holderIdentity: 'node-1',
        leaseDurationSeconds: 3,
        acquireTime: '2026-11-30T10:00:00.000000Z',
        renewTime: '2026-11-30T10:00:02.000000Z',
        leaseTransitions: 4,
      },
    };
    const projected = projectLease(raw);
    expect(leaseToMember(projected)).toEqual(leaseToMember(raw as LeaseObject));
    expect(projected).toEqual({
      metadata: {
        name: 'purelb-node-node-1',
        namespace: 'purelb',
        resourceVersion: '77',
        annotations: { 'purelb.io/subnets': '192.0.2.0/24,2001:db8::/64' },
      },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 3, renewTime: '2026-11-30T10:00:02.000000Z' },
    });
  });
});

describe('projectCustom', () => {
  it('keeps spec, generation and conditions of an LBNodeAgent: the same configuration is read', () => {
    const raw = {
      metadata: { name: 'default', namespace: 'purelb', uid: 'u', generation: 2, managedFields },
      spec: { local: { localint: 'eth0', extlbint: 'kube-lb0', sendgarp: true } },
      status: { conditions: [{ type: 'Ready', status: 'True', observedGeneration: 2 }] },
    };
    const projected = projectCustom(raw);
    const snapshot = (o: LBNodeAgentObject): Map<string, LBNodeAgentObject> => new Map([['purelb/default', o]]);
    expect(readConfig(snapshot(projected), 'purelb')).toEqual(readConfig(snapshot(raw), 'purelb'));
    expect(projected).toEqual({
      metadata: { name: 'default', namespace: 'purelb', uid: 'u', generation: 2 },
      spec: raw.spec,
      status: { conditions: raw.status.conditions },
    });
  });

  it('reads the same ServiceGroups', () => {
    const raw = {
      metadata: { name: 'default', namespace: 'purelb', managedFields },
      spec: { local: { v4pools: [{ pool: '192.0.2.128/26', subnet: '192.0.2.0/24', aggregation: 'default' }] } },
    };
    expect(groupsByName([projectCustom(raw)])).toEqual(groupsByName([raw]));
  });
});
