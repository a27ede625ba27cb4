import { createIpam, validateServiceGroups } from '@purelb/ipam-core';
import type { GroupInput } from '@purelb/ipam-core';
import { describe, expect, it } from 'vitest';
import type { ServiceGroupObject } from './kube-objects.ts';
import { planGroupStatus } from './plan-group-status.ts';
import type { GroupAction, GroupStatusInput } from './plan-group-status.ts';

const NOW = '2026-01-02T03:04:05Z';
const EARLIER = '2025-12-31T00:00:00Z';
const none = { IPv4: 0n, IPv6: 0n };

const inputs: GroupInput[] = [
  {
    name: 'big',
    createdAt: '2024-01-01T00:00:00Z',
    spec: {
      local: {
        v4pools: [{ pool: '192.0.2.0/24', subnet: '192.0.2.0/24' }],
        v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }],
      },
    },
  },
  {
    name: 'late',
    createdAt: '2024-01-02T00:00:00Z',
    spec: { local: { v4pools: [{ pool: '192.0.2.250-192.0.2.255', subnet: '192.0.2.0/24' }] } },
  },
  {
    name: 'outside',
    createdAt: '2024-01-03T00:00:00Z',
    spec: { local: { v4pools: [{ pool: '198.51.100.1-198.51.100.3', subnet: '203.0.113.0/24' }] } },
  },
];
const checks = validateServiceGroups(inputs);
const ipam = createIpam(checks);
ipam.allocate({ key: 'ns/a', group: 'big', ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });

function input(name: string, observed: ServiceGroupObject['status'], generation = 1): GroupStatusInput {
  const check = checks.find((c) => c.name === name);
  if (check === undefined) throw new Error(name);
  return { generation, check, stats: ipam.groupStats(name), held: none, observed };
}

const patchOf = (actions: GroupAction[]) => actions.find((a) => a.kind === 'patch-status')?.status;

describe('planGroupStatus', () => {
  it('writes exact decimal counts, pools, Ready=True and observedGeneration for a valid group', () => {
    expect(planGroupStatus(input('big', undefined, 3), NOW)).toEqual([
      {
        kind: 'patch-status',
        status: {
          observedGeneration: 3,
          pools: '192.0.2.0/24, 2001:db8::/64',
          v4: { capacity: '256', allocated: '1', available: '255' },
          v6: { capacity: '18446744073709551616', allocated: '1', available: '18446744073709551615' },
          usage: { v4: '1/256', v6: '1/18.4E' },
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Valid',
              message: '2 pool(s) in use',
              lastTransitionTime: NOW,
              observedGeneration: 3,
            },
          ],
        },
      },
    ]);
  });

  it('writes nothing when the status already says it all', () => {
    const status = patchOf(planGroupStatus(input('big', undefined), EARLIER)) as ServiceGroupObject['status'];
    expect(planGroupStatus(input('big', status), NOW)).toEqual([]);
  });

  it('reports an overlap naming the other group, with one Warning, and not again while unchanged', () => {
    const first = planGroupStatus(input('late', undefined), NOW);
    const status = patchOf(first) as ServiceGroupObject['status'];
    expect(status).toMatchObject({ v4: { capacity: '0', allocated: '0', available: '0' }, pools: null });
    const ready = (status?.conditions ?? [])[0] as Record<string, unknown>;
    expect(ready).toMatchObject({ type: 'Ready', status: 'False', reason: 'Overlap' });
    expect(ready.message).toContain('"big"');
    expect(first.filter((a) => a.kind === 'event')).toEqual([
      { kind: 'event', type: 'Warning', reason: 'Overlap', message: ready.message },
    ]);
    const { pools: _pools, ...written } = status ?? {};
    expect(planGroupStatus(input('late', written), NOW)).toEqual([]);
  });

  it('reports a pool outside its subnet as InvalidPool', () => {
    const actions = planGroupStatus(input('outside', undefined), NOW);
    expect(actions.map((a) => (a.kind === 'event' ? a.reason : a.kind))).toEqual(['patch-status', 'InvalidPool']);
  });

  it('keeps the transition time and other conditions when only the counts change', () => {
    const other = {
      type: 'example.com/Audit',
      status: 'True',
      reason: 'Seen',
      message: '',
      lastTransitionTime: EARLIER,
    };
    const observed = {
      observedGeneration: 1,
      pools: '192.0.2.0-192.0.2.255, 2001:db8::-2001:db8::ffff:ffff:ffff:ffff',
      v4: { capacity: '256', allocated: '0', available: '256' },
      v6: { capacity: '18446744073709551616', allocated: '1', available: '18446744073709551615' },
      conditions: [
        other,
        {
          type: 'Ready',
          status: 'True',
          reason: 'Valid',
          message: '2 pool(s) in use',
          lastTransitionTime: EARLIER,
          observedGeneration: 1,
        },
      ],
    };
    const patch = patchOf(planGroupStatus(input('big', observed), NOW));
    expect(patch?.conditions).toEqual([
      other,
      {
        type: 'Ready',
        status: 'True',
        reason: 'Valid',
        message: '2 pool(s) in use',
        lastTransitionTime: EARLIER,
        observedGeneration: 1,
      },
    ]);
    expect(patch?.v4).toEqual({ capacity: '256', allocated: '1', available: '255' });
  });

  it('a full family makes the group Ready=False PoolExhausted with one Warning; a freed address makes it Ready again', () => {
    const small = validateServiceGroups([
      {
        name: 'small',
        createdAt: 1,
        spec: {
          local: {
            v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/30', avoidBuggyIPs: true }],
            v6pools: [{ pool: '2001:db8::/126', subnet: '2001:db8::/64', exclude: ['2001:db8::3'] }],
          },
        },
      },
    ]);
    const state = createIpam(small);
    const check = small[0]!;
    const plan = (observed: ServiceGroupObject['status']) =>
      planGroupStatus({ generation: 1, check, stats: state.groupStats('small'), held: none, observed }, NOW);
    for (const key of ['ns/a', 'ns/b'])
      state.allocate({ key, group: 'small', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    const full = plan(undefined);
    const status = patchOf(full) as ServiceGroupObject['status'];
    expect(status).toMatchObject({
      pools: '192.0.2.0/30, 2001:db8::/126',
      v4: { capacity: '2', allocated: '2', available: '0' },
      v6: { capacity: '3', allocated: '0', available: '3' },
      usage: { v4: '2/2', v6: '0/3' },
    });
    const ready = (status?.conditions ?? [])[0] as Record<string, unknown>;
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'PoolExhausted',
      message: 'no free IPv4 address left (IPv4 2 of 2 in use); 2 pool(s) in use',
    });
    expect(full.filter((a) => a.kind === 'event')).toEqual([
      { kind: 'event', type: 'Warning', reason: 'PoolExhausted', message: ready.message },
    ]);
    expect(plan(status)).toEqual([]);
    state.release('ns/a');
    const again = plan(status);
    expect(again.map((a) => a.kind)).toEqual(['patch-status']);
    expect((patchOf(again)?.conditions as Record<string, unknown>[])[0]).toMatchObject({
      status: 'True',
      reason: 'Valid',
    });
  });

  it('shows "-" as the usage of a family without pools and of an invalid group', () => {
    expect(patchOf(planGroupStatus(input('outside', undefined), NOW))?.usage).toEqual({ v4: '-', v6: '-' });
    const v4only = validateServiceGroups([
      { name: 'v4', createdAt: 1, spec: { local: { v4pool: { pool: '198.51.100.0/24', subnet: '198.51.100.0/24' } } } },
    ]);
    const patch = patchOf(
      planGroupStatus(
        {
          generation: 1,
          check: v4only[0]!,
          stats: createIpam(v4only).groupStats('v4'),
          held: none,
          observed: undefined,
        },
        NOW,
      ),
    );
    expect(patch?.usage).toEqual({ v4: '0/256', v6: '-' });
  });

  it('an invalid group shows what is still held under its name', () => {
    const check = checks.find((c) => c.name === 'late');
    if (check === undefined) throw new Error('late');
    const patch = patchOf(
      planGroupStatus(
        { generation: 1, check, stats: undefined, held: { IPv4: 2n, IPv6: 0n }, observed: undefined },
        NOW,
      ),
    );
    expect(patch?.v4).toEqual({ capacity: '0', allocated: '2', available: '0' });
  });
});
