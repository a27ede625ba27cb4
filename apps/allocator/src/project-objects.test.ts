import { wireService } from '@purelb/k8s-watch/testing';
import { describe, expect, it } from 'vitest';
import type { ServiceObject } from './kube-objects.ts';
import { observeService } from './observe-service.ts';
import { projectService, projectServiceGroup } from './project-objects.ts';
import { serviceToExisting, serviceToRequest } from './service-to-request.ts';

/** A dual-stack LoadBalancer Service as the API server sends it after the allocator wrote to it. */
function wire(
  overrides: {
    annotations?: Record<string, string>;
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
  } = {},
): object {
  return wireService({
    annotations: {
      'purelb.io/service-group': 'default',
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': 'default',
      'purelb.io/pool-type': 'local',
      ...overrides.annotations,
    },
    spec: {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      ],
      ...overrides.spec,
    },
    status: {
      loadBalancer: {
        ingress: [
          { ip: '192.0.2.10', ipMode: 'VIP' },
          { ip: '2001:db8::10', ipMode: 'VIP' },
        ],
      },
      conditions: [
        {
          type: 'purelb.io/Allocated',
          status: 'True',
          reason: 'Allocated',
          message: 'Allocated 192.0.2.10, 2001:db8::10',
          lastTransitionTime: '2026-11-30T10:00:01Z',
          observedGeneration: 3,
        },
        {
          type: 'example.com/Other',
          status: 'True',
          reason: 'Fine',
          message: '',
          lastTransitionTime: '2026-11-30T10:00:02Z',
        },
      ],
      ...overrides.status,
    },
  });
}

const filter = { defaultClass: true };

describe('projectService', () => {
  it('keeps identity, our annotations, the request fields, the ingress and our condition; drops managedFields and the rest', () => {
    expect(projectService(wire())).toEqual({
      metadata: {
        name: 'web',
        namespace: 'shop',
        uid: '7d0c2f4e-1111-2222-3333-444455556666',
        resourceVersion: '4711',
        generation: 3,
        creationTimestamp: '2026-11-30T10:00:00Z',
        annotations: {
          'purelb.io/service-group': 'default',
          'purelb.io/allocated-by': 'PureLB',
          'purelb.io/allocated-from': 'default',
          'purelb.io/pool-type': 'local',
        },
      },
      spec: {
        type: 'LoadBalancer',
        ipFamilies: ['IPv4', 'IPv6'],
        ipFamilyPolicy: 'RequireDualStack',
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
      status: {
        loadBalancer: (wire() as { status: { loadBalancer: unknown } }).status.loadBalancer,
        conditions: [(wire() as { status: { conditions: unknown[] } }).status.conditions[0]],
      },
    });
    expect(JSON.stringify(projectService(wire())).length).toBeLessThan(JSON.stringify(wire()).length / 3);
  });

  // The projection is right when every decision reads the same from it as from the whole object.
  it.each<[string, Parameters<typeof wire>[0]]>([
    ['allocated dual-stack', {}],
    [
      'requested addresses and a sharing key',
      { annotations: { 'purelb.io/addresses': '192.0.2.5, 2001:db8::5', 'purelb.io/allow-shared-ip': 'k' } },
    ],
    ['the deprecated field', { spec: { loadBalancerIP: '192.0.2.7' } }],
    ['another class', { spec: { loadBalancerClass: 'example.com/lb' } }],
    ['a null class', { spec: { loadBalancerClass: null } }],
    ['no longer a LoadBalancer', { spec: { type: 'ClusterIP' } }],
    [
      'a hostname ingress and no conditions',
      { status: { loadBalancer: { ingress: [{ hostname: 'lb.example' }] }, conditions: undefined } },
    ],
    ['an empty status', { status: { loadBalancer: {}, conditions: [] } }],
  ])('%s: the same request, import and observation as the whole object', (_, overrides) => {
    const whole = wire(overrides) as ServiceObject;
    const kept = projectService(whole);
    expect(serviceToRequest(kept, filter)).toEqual(serviceToRequest(whole, filter));
    expect(serviceToRequest(kept, { defaultClass: false })).toEqual(serviceToRequest(whole, { defaultClass: false }));
    expect(serviceToExisting(kept)).toEqual(serviceToExisting(whole));
    expect(observeService(kept)).toEqual(observeService(whole));
  });

  it('survives objects that are not Services', () => {
    expect(projectService({})).toEqual({ metadata: {}, spec: {}, status: {} });
    expect(projectService({ metadata: 'x', spec: [], status: 3 })).toEqual({ metadata: {}, spec: {}, status: {} });
  });
});

describe('projectServiceGroup', () => {
  it('keeps identity, spec and status, not managedFields or annotations', () => {
    const spec = { local: { v4pools: [{ pool: '192.0.2.0/24', subnet: '192.0.2.0/24' }] } };
    const status = { observedGeneration: 2, pools: '192.0.2.0/24' };
    const raw = {
      metadata: {
        name: 'default',
        namespace: 'purelb',
        uid: 'u',
        resourceVersion: '9',
        generation: 2,
        creationTimestamp: 't',
        annotations: { a: 'b' },
        managedFields: [{}],
      },
      spec,
      status,
    };
    expect(projectServiceGroup(raw)).toEqual({
      metadata: {
        name: 'default',
        namespace: 'purelb',
        uid: 'u',
        resourceVersion: '9',
        generation: 2,
        creationTimestamp: 't',
      },
      spec,
      status,
    });
  });
});
