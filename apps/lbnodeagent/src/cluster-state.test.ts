import { parseCidr } from '@purelb/ipam-core';
import { describe, expect, it } from 'vitest';
import { createClusterState } from './cluster-state.ts';
import type { LeaseObject, ServiceObject } from './kube-objects.ts';

const svc = (name: string, ip: string, annotations: Record<string, string> = {}): ServiceObject => ({
  metadata: { namespace: 'ns', name, annotations: { 'purelb.io/allocated-by': 'PureLB', ...annotations } },
  spec: { type: 'LoadBalancer' },
  status: { loadBalancer: { ingress: [{ ip }] } },
});
const lease = (node: string, rv: string): [string, LeaseObject] => [
  `purelb/purelb-node-${node}`,
  {
    metadata: {
      name: `purelb-node-${node}`,
      resourceVersion: rv,
      annotations: { 'purelb.io/subnets': '192.0.2.0/24' },
    },
    spec: { leaseDurationSeconds: 3 },
  },
];
const lan = parseCidr('192.0.2.0/24');
if (!lan.ok) throw new Error('cidr');
const facts = { localInterfaces: { IPv4: { name: 'eth0', subnets: [lan.value] } }, virtualInterface: 'kube-lb0' };

describe('createClusterState', () => {
  it('elects among live members and follows Services, ignoring writes that change no view', () => {
    const state = createClusterState({ node: 'a', filter: { defaultClass: true }, defaultDurationMs: 3000 });
    const services = new Map([['ns/web', svc('web', '192.0.2.240')]]);
    expect(state.applyServices(services, ['ns/web'])).toBe(true);
    state.applyLeases({ snapshot: new Map([lease('a', '1'), lease('b', '1')]), now: 0, wallNow: 0, includeSelf: true });
    expect(state.refreshMembership(0)).toBe(true);
    const winner = state.decide(facts).services.get('ns/web')?.addresses[0]?.holding;
    expect(winner?.kind).toBe('local');

    const annotated = new Map([['ns/web', svc('web', '192.0.2.240', { 'purelb.io/announcing-IPv4': 'a,eth0' })]]);
    expect(state.applyServices(annotated, ['ns/web'])).toBe(false);
    expect(state.applyServices(new Map(), ['ns/web'])).toBe(true);
    expect(state.decide(facts).addresses.size).toBe(0);
  });

  it('leaves out its own Lease until this process wrote it, and lets members expire', () => {
    const state = createClusterState({ node: 'a', filter: { defaultClass: true }, defaultDurationMs: 3000 });
    state.applyLeases({
      snapshot: new Map([lease('a', '1'), lease('b', '1')]),
      now: 0,
      wallNow: 0,
      includeSelf: false,
    });
    state.refreshMembership(0);
    expect(state.membership().selfSeen).toBe(false);
    state.applyLeases({
      snapshot: new Map([lease('a', '2'), lease('b', '1')]),
      now: 1000,
      wallNow: 1000,
      includeSelf: true,
    });
    state.refreshMembership(1000);
    expect([...state.membership().live].sort()).toEqual(['a', 'b']);
    state.applyLeases({
      snapshot: new Map([lease('a', '3'), lease('b', '1')]),
      now: 3500,
      wallNow: 3500,
      includeSelf: true,
    });
    expect(state.refreshMembership(3500)).toBe(true);
    expect([...state.membership().live]).toEqual(['a']);
  });
});
