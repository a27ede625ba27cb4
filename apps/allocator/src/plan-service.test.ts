import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE } from './constants.ts';
import type { ObservedService } from './observe-service.ts';
import { planService } from './plan-service.ts';
import type { ServiceAction, ServiceDesire } from './plan-service.ts';

const NOW = '2026-01-02T03:04:05Z';
const EARLIER = '2025-12-31T00:00:00Z';

const bare: ObservedService = {
  namespace: 'ns',
  name: 'web',
  uid: 'u1',
  generation: 1,
  ingress: [],
  allocatedBy: undefined,
  allocatedFrom: undefined,
  poolType: undefined,
  condition: undefined,
};

const allocatedCondition = {
  status: 'True',
  reason: 'Allocated',
  message: 'Allocated 192.0.2.10 from group default',
  lastTransitionTime: EARLIER,
  observedGeneration: 1,
};

/** A Service that already shows what `holdV4` wants. */
const converged: ObservedService = {
  ...bare,
  ingress: [{ ip: '192.0.2.10', ipMode: 'VIP', hostname: undefined }],
  allocatedBy: 'PureLB',
  allocatedFrom: 'default',
  poolType: 'local',
  condition: allocatedCondition,
};

const holdV4: ServiceDesire = {
  kind: 'hold',
  addresses: [{ family: 'IPv4', address: '192.0.2.10' }],
  group: 'default',
  status: 'True',
  reason: 'Allocated',
  message: 'Allocated 192.0.2.10 from group default',
  deprecatedLoadBalancerIP: undefined,
};

const kinds = (actions: ServiceAction[]): string[] =>
  actions.map((a) => (a.kind === 'event' ? `event:${a.type}:${a.reason}` : a.kind));

describe('planService', () => {
  it.each<[string, ObservedService, ServiceDesire, string[]]>([
    [
      'a fresh Service gets annotations, then status, then AddressAssigned',
      bare,
      holdV4,
      ['patch-annotations', 'patch-status', 'event:Normal:AddressAssigned'],
    ],
    ['a converged Service needs nothing', converged, holdV4, []],
    ['a Service without our marks that is not ours is left alone', bare, { kind: 'release', released: [] }, []],
    [
      'leaving LoadBalancer clears ingress, annotations and condition',
      converged,
      { kind: 'release', released: ['192.0.2.10'] },
      ['patch-status', 'patch-annotations', 'event:Normal:AddressReleased'],
    ],
    [
      'a pending Service gets a False condition and one Warning',
      bare,
      {
        ...holdV4,
        addresses: [],
        status: 'False',
        reason: 'PoolExhausted',
        message: 'group default has no free IPv4 address',
      },
      ['patch-status', 'event:Warning:PoolExhausted'],
    ],
    [
      'a still pending Service with the same condition needs nothing',
      {
        ...bare,
        condition: {
          status: 'False',
          reason: 'PoolExhausted',
          message: 'group default has no free IPv4 address',
          lastTransitionTime: EARLIER,
          observedGeneration: 1,
        },
      },
      {
        ...holdV4,
        addresses: [],
        status: 'False',
        reason: 'PoolExhausted',
        message: 'group default has no free IPv4 address',
      },
      [],
    ],
    [
      'a deprecated loadBalancerIP adds a DeprecatedField Event to the assignment',
      bare,
      { ...holdV4, deprecatedLoadBalancerIP: '192.0.2.10' },
      ['patch-annotations', 'patch-status', 'event:Normal:AddressAssigned', 'event:Normal:DeprecatedField'],
    ],
    [
      'a deprecated loadBalancerIP on a converged Service posts nothing',
      converged,
      { ...holdV4, deprecatedLoadBalancerIP: '192.0.2.10' },
      [],
    ],
  ])('%s', (_name, observed, desire, expected) => {
    expect(kinds(planService(observed, desire, NOW))).toEqual(expected);
  });

  it('writes ingress in the desired order with ipMode VIP and a stamped condition', () => {
    const desire: ServiceDesire = {
      ...holdV4,
      addresses: [
        { family: 'IPv6', address: '2001:db8::10' },
        { family: 'IPv4', address: '192.0.2.10' },
      ],
      message: 'Allocated 2001:db8::10, 192.0.2.10 from group default',
    };
    const [annotations, status, event] = planService(bare, desire, NOW);
    expect(status).toEqual({
      kind: 'patch-status',
      status: {
        loadBalancer: {
          ingress: [
            { ip: '2001:db8::10', ipMode: 'VIP' },
            { ip: '192.0.2.10', ipMode: 'VIP' },
          ],
        },
        conditions: [
          {
            type: 'purelb.io/Allocated',
            status: 'True',
            reason: 'Allocated',
            message: 'Allocated 2001:db8::10, 192.0.2.10 from group default',
            lastTransitionTime: NOW,
            observedGeneration: 1,
          },
        ],
      },
    });
    expect(annotations).toEqual({
      kind: 'patch-annotations',
      set: {
        'purelb.io/allocated-by': 'PureLB',
        'purelb.io/allocated-from': 'default',
        'purelb.io/pool-type': 'local',
      },
      remove: [],
    });
    expect(event).toMatchObject({
      type: 'Normal',
      reason: 'AddressAssigned',
      message: 'Assigned 2001:db8::10, 192.0.2.10 from group default',
    });
  });

  it('patches only its own condition, keeping the transition time when the status stays the same', () => {
    const observed: ObservedService = { ...converged, generation: 2 };
    const actions = planService(observed, holdV4, NOW);
    expect(actions).toEqual([
      {
        kind: 'patch-status',
        status: {
          conditions: [
            {
              type: 'purelb.io/Allocated',
              status: 'True',
              reason: 'Allocated',
              message: allocatedCondition.message,
              lastTransitionTime: EARLIER,
              observedGeneration: 2,
            },
          ],
        },
      },
    ]);
  });

  it('releases one family: rewrites ingress and posts AddressReleased for that address only', () => {
    const dual: ObservedService = {
      ...converged,
      ingress: [
        { ip: '192.0.2.10', ipMode: 'VIP', hostname: undefined },
        { ip: '2001:db8::10', ipMode: 'VIP', hostname: undefined },
      ],
    };
    const actions = planService(dual, holdV4, NOW);
    expect(actions).toEqual([
      { kind: 'patch-status', status: { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } } },
      {
        kind: 'event',
        type: 'Normal',
        reason: 'AddressReleased',
        message: 'Released 2001:db8::10',
        slot: 'allocation',
      },
    ]);
  });

  it('release deletes only our condition and removes only our annotations', () => {
    const actions = planService(converged, { kind: 'release', released: ['192.0.2.10'] }, NOW);
    expect(actions).toEqual([
      {
        kind: 'patch-status',
        status: { loadBalancer: { ingress: null }, conditions: [{ type: 'purelb.io/Allocated', $patch: 'delete' }] },
      },
      {
        kind: 'patch-annotations',
        set: {},
        remove: ['purelb.io/allocated-by', 'purelb.io/allocated-from', 'purelb.io/pool-type'],
      },
      { kind: 'event', type: 'Normal', reason: 'AddressReleased', message: 'Released 192.0.2.10', slot: 'allocation' },
    ]);
  });

  it('a failure that changes its message posts a new Warning; returning to Allocated posts AddressAssigned only if the address changed', () => {
    const pending: ObservedService = {
      ...bare,
      condition: {
        status: 'False',
        reason: 'AddressInUse',
        message: 'old message',
        lastTransitionTime: EARLIER,
        observedGeneration: 1,
      },
    };
    const desire: ServiceDesire = {
      ...holdV4,
      addresses: [],
      status: 'False',
      reason: 'AddressInUse',
      message: 'new message',
    };
    expect(kinds(planService(pending, desire, NOW))).toEqual(['patch-status', 'event:Warning:AddressInUse']);
    const recovered = planService(
      { ...converged, condition: { ...allocatedCondition, status: 'False', reason: 'AddressOutsidePool' } },
      holdV4,
      NOW,
    );
    expect(recovered).toEqual([
      {
        kind: 'patch-status',
        status: {
          conditions: [
            {
              type: 'purelb.io/Allocated',
              status: 'True',
              reason: 'Allocated',
              message: allocatedCondition.message,
              lastTransitionTime: NOW,
              observedGeneration: 1,
            },
          ],
        },
      },
    ]);
  });

  it('the same address counted in another group rewrites allocated-from and says so in one AddressAssigned Event', () => {
    const desire: ServiceDesire = {
      ...holdV4,
      group: 'overlap',
      message: 'Allocated 192.0.2.10 from service group "overlap"',
    };
    const actions = planService(converged, desire, NOW);
    expect(actions.filter((a) => a.kind !== 'patch-status')).toEqual([
      { kind: 'patch-annotations', set: { 'purelb.io/allocated-from': 'overlap' }, remove: [] },
      {
        kind: 'event',
        type: 'Normal',
        reason: 'AddressAssigned',
        message: 'Assigned 192.0.2.10 from group overlap (was group default)',
        slot: 'allocation',
      },
    ]);
    const after: ObservedService = {
      ...converged,
      allocatedFrom: 'overlap',
      condition: { ...allocatedCondition, message: desire.message },
    };
    expect(planService(after, desire, NOW)).toEqual([]);
  });

  it('a pending Service that lost its addresses drops our annotations', () => {
    const desire: ServiceDesire = {
      ...holdV4,
      addresses: [],
      status: 'False',
      reason: 'GroupNotFound',
      message: 'no group "x"',
    };
    const actions = planService(converged, desire, NOW);
    expect(actions.find((a) => a.kind === 'patch-annotations')).toEqual({
      kind: 'patch-annotations',
      set: {},
      remove: ['purelb.io/allocated-by', 'purelb.io/allocated-from', 'purelb.io/pool-type'],
    });
    expect(actions.find((a) => a.kind === 'patch-status')).toMatchObject({
      status: { loadBalancer: { ingress: null } },
    });
  });

  it('rewrites an entry written without ipMode', () => {
    const observed: ObservedService = {
      ...converged,
      ingress: [{ ip: '192.0.2.10', ipMode: undefined, hostname: undefined }],
    };
    expect(planService(observed, holdV4, NOW)).toEqual([
      { kind: 'patch-status', status: { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } } },
    ]);
  });

  it('cuts a message longer than MAX_MESSAGE in the condition and the Warning alike, and converges on it', () => {
    const long = `requested ${'192.0.2.1,'.repeat(10_240)}`;
    const desire: ServiceDesire = {
      ...holdV4,
      addresses: [],
      status: 'False',
      reason: 'InvalidAnnotation',
      message: long,
    };
    const actions = planService(bare, desire, NOW);
    const status = actions.find((a) => a.kind === 'patch-status');
    const condition = (status?.kind === 'patch-status' ? (status.status.conditions as { message: string }[]) : [])[0];
    expect(condition?.message).toHaveLength(MAX_MESSAGE);
    expect(condition?.message.endsWith(`… (${(102_410).toLocaleString('en-US')} characters)`)).toBe(true);
    expect(actions.find((a) => a.kind === 'event')).toMatchObject({ type: 'Warning', message: condition?.message });
    const shown: ObservedService = {
      ...bare,
      condition: {
        status: 'False',
        reason: 'InvalidAnnotation',
        message: condition?.message ?? '',
        lastTransitionTime: NOW,
        observedGeneration: 1,
      },
    };
    expect(planService(shown, desire, NOW)).toEqual([]);
  });

  it('bounds a hostile allocated-from annotation in the AddressAssigned Event', () => {
    const hostile = 'g'.repeat(102_400);
    const actions = planService({ ...converged, allocatedFrom: hostile }, { ...holdV4, group: 'overlap' }, NOW);
    const event = actions.find((a) => a.kind === 'event');
    expect(event).toMatchObject({ reason: 'AddressAssigned' });
    expect(event?.kind === 'event' ? event.message : '').toBe(
      `Assigned 192.0.2.10 from group overlap (was group ${'g'.repeat(78)}… (102,400 characters))`,
    );
  });
});
