import { describe, expect, it } from 'vitest';
import type { AddressAnnouncement, DesiredAddress, Holding, ServiceAnnouncement } from './decide-node.ts';
import type { ObservedCondition, ObservedService } from './observe-service.ts';
import { planService } from './plan-service.ts';
import type { AddressOutcome, PlanServiceInput, ServiceAction } from './plan-service.ts';

const NOW = '2026-01-02T03:04:05Z';
const EARLIER = '2025-12-31T00:00:00Z';

const bare: ObservedService = {
  namespace: 'ns',
  name: 'web',
  uid: 'u1',
  generation: 2,
  announcing: { IPv4: undefined, IPv6: undefined },
  condition: undefined,
};

const mine: DesiredAddress = {
  address: '192.0.2.240',
  family: 'IPv4',
  interface: 'eth0',
  prefixLength: 24,
  kind: 'local',
  services: ['ns/web'],
  announce: false,
};

const addr = (address: string, holding: Holding, held?: DesiredAddress): AddressAnnouncement => ({
  family: address.includes(':') ? 'IPv6' : 'IPv4',
  address,
  holding,
  mine: held,
});
const ann = (writer: string | undefined, ...addresses: AddressAnnouncement[]): ServiceAnnouncement => ({
  key: 'ns/web',
  addresses,
  writer,
});

const held: ReadonlyMap<string, AddressOutcome> = new Map([['192.0.2.240', { kind: 'held', interface: 'eth0' }]]);
const failed: ReadonlyMap<string, AddressOutcome> = new Map([
  ['192.0.2.240', { kind: 'failed', interface: 'eth0', message: 'operation not permitted' }],
]);

const cond = (status: string, reason: string, message: string): ObservedCondition => ({
  status,
  reason,
  message,
  lastTransitionTime: EARLIER,
  observedGeneration: 2,
});

function plan(over: Partial<PlanServiceInput>): ServiceAction[] {
  return planService({
    node: 'a',
    observed: bare,
    announcement: undefined,
    outcomes: new Map(),
    steward: 'a',
    virtualInterface: 'kube-lb0',
    now: NOW,
    ...over,
  });
}

const kinds = (actions: ServiceAction[]): string[] =>
  actions.map((a) => {
    switch (a.kind) {
      case 'event':
        return `event:${a.type}:${a.reason}`;
      case 'patch-annotations':
        return `annotations:${JSON.stringify(a.set)}-${JSON.stringify(a.remove)}`;
      case 'patch-status': {
        const c = (a.status.conditions as { type: string; reason?: string; $patch?: string }[]).find(
          (x) => x.type === 'purelb.io/Announced',
        );
        return c?.['$patch'] === 'delete' ? 'condition:removed' : `condition:${c?.reason}`;
      }
    }
  });

const localA = addr('192.0.2.240', { kind: 'local', winner: 'a' }, mine);
const localB = addr('192.0.2.240', { kind: 'local', winner: 'b' });

describe('planService', () => {
  it.each<[string, Partial<PlanServiceInput>, string[]]>([
    [
      'the winner that holds its address writes the annotation, the condition and AnnouncingLocal',
      { announcement: ann('a', localA), outcomes: held },
      ['annotations:{"purelb.io/announcing-IPv4":"a,eth0"}-[]', 'condition:Announcing', 'event:Normal:AnnouncingLocal'],
    ],
    [
      'converged: nothing',
      {
        announcement: ann('a', localA),
        outcomes: held,
        observed: {
          ...bare,
          announcing: { IPv4: 'a,eth0', IPv6: undefined },
          condition: cond('True', 'Announcing', '192.0.2.240 on a (eth0)'),
        },
      },
      [],
    ],
    [
      'a winner that cannot add the address says so and writes no annotation',
      { announcement: ann('a', localA), outcomes: failed },
      ['condition:AnnounceFailed', 'event:Warning:AnnounceFailed'],
    ],
    [
      'a node that lost the election removes its annotation and leaves the condition to the winner',
      { announcement: ann('b', localB), observed: { ...bare, announcing: { IPv4: 'a,eth0', IPv6: undefined } } },
      ['annotations:{}-["purelb.io/announcing-IPv4"]'],
    ],
    [
      'an annotation naming a dead node is left for the new winner to overwrite',
      { announcement: ann('b', localB), observed: { ...bare, announcing: { IPv4: 'dead,eth0', IPv6: undefined } } },
      [],
    ],
    [
      'no live node on the subnet: the steward clears the stale annotation and says NoEligibleNode',
      {
        announcement: ann('a', addr('192.0.2.240', { kind: 'nowhere', why: 'subnet-not-live', notLive: ['b', 'c'] })),
        observed: { ...bare, announcing: { IPv4: 'b,eth0', IPv6: undefined } },
      },
      ['annotations:{}-["purelb.io/announcing-IPv4"]', 'condition:NoEligibleNode', 'event:Warning:NoEligibleNode'],
    ],
    [
      'a virtual address: the steward writes Announcing and AnnouncingVirtual',
      { announcement: ann('a', addr('203.0.113.5', { kind: 'virtual', holders: 3, endpointsOnly: false })) },
      ['condition:Announcing', 'event:Normal:AnnouncingVirtual'],
    ],
    [
      'externalTrafficPolicy Local without a ready endpoint: NoReadyEndpoint',
      { announcement: ann('a', addr('203.0.113.5', { kind: 'nowhere', why: 'no-endpoint', notLive: [] })) },
      ['condition:NoReadyEndpoint'],
    ],
    [
      'a node that is not the writer writes no condition',
      { announcement: ann('b', addr('203.0.113.5', { kind: 'virtual', holders: 3, endpointsOnly: false })) },
      [],
    ],
    [
      'a Service no longer ours: the steward removes the condition and stale annotations',
      {
        observed: {
          ...bare,
          announcing: { IPv4: 'dead,eth0', IPv6: 'a,eth0' },
          condition: cond('True', 'Announcing', 'x'),
        },
      },
      ['annotations:{}-["purelb.io/announcing-IPv4","purelb.io/announcing-IPv6"]', 'condition:removed'],
    ],
    [
      'a Service no longer ours: another node removes only its own annotation',
      {
        steward: 'b',
        observed: {
          ...bare,
          announcing: { IPv4: 'dead,eth0', IPv6: 'a,eth0' },
          condition: cond('True', 'Announcing', 'x'),
        },
      },
      ['annotations:{}-["purelb.io/announcing-IPv6"]'],
    ],
    ['a Service that never was ours: nothing', { steward: 'a' }, []],
  ])('%s', (_, over, expected) => {
    expect(kinds(plan(over))).toEqual(expected);
  });

  it('describes every address, keeps other conditions, stamps the generation, keeps the transition time while the status holds', () => {
    const announcement = ann(
      'a',
      localA,
      addr('2001:db8:1::5', { kind: 'local', winner: 'c' }),
      addr('203.0.113.5', { kind: 'virtual', holders: 2, endpointsOnly: true }),
    );
    const actions = plan({
      announcement,
      outcomes: held,
      observed: {
        ...bare,
        announcing: { IPv4: 'a,eth0', IPv6: undefined },
        condition: cond('True', 'Announcing', 'older'),
      },
    });
    expect(actions).toEqual([
      {
        kind: 'patch-status',
        status: {
          conditions: [
            {
              type: 'purelb.io/Announced',
              status: 'True',
              reason: 'Announcing',
              message:
                '192.0.2.240 on a (eth0); 2001:db8:1::5 on c; 203.0.113.5 on the virtual interface kube-lb0 of 2 nodes with a ready endpoint',
              lastTransitionTime: EARLIER,
              observedGeneration: 2,
            },
          ],
        },
      },
      {
        kind: 'event',
        type: 'Normal',
        reason: 'AnnouncingVirtual',
        message: 'announcing 203.0.113.5 on the virtual interface kube-lb0 of 2 nodes with a ready endpoint',
        slot: 'virtual',
      },
    ]);
  });

  it('a status change moves the transition time to now', () => {
    const actions = plan({
      announcement: ann('a', localA),
      outcomes: failed,
      observed: { ...bare, condition: cond('True', 'Announcing', '192.0.2.240 on a (eth0)') },
    });
    const status = actions.find((a) => a.kind === 'patch-status');
    expect(
      status?.kind === 'patch-status' &&
        (status.status.conditions as { lastTransitionTime: string }[])[0]?.lastTransitionTime,
    ).toBe(NOW);
    expect(actions.find((a) => a.kind === 'event')).toEqual({
      kind: 'event',
      type: 'Warning',
      reason: 'AnnounceFailed',
      message: 'node a cannot add 192.0.2.240 to eth0: operation not permitted',
      slot: 'failed-IPv4-a',
    });
  });
});
