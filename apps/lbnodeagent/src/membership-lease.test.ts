import { createFakeClock, createFakeLeaseStore, flushPromises } from '@purelb/k8s-watch/testing';
import { describe, expect, it } from 'vitest';
import { createMembershipLease } from './membership-lease.ts';

const ref = { namespace: 'purelb', name: 'purelb-node-a' };

function setup() {
  const store = createFakeLeaseStore();
  const clock = createFakeClock();
  const failures: string[] = [];
  const lease = createMembershipLease({
    leaseClient: store.client('a'),
    namespace: 'purelb',
    node: 'a',
    durationMs: 3000,
    clock,
    wallClock: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + clock.now()),
    onFailure: (op, e) => failures.push(`${op}:${e.code}`),
  });
  return { store, clock, failures, lease };
}

describe('createMembershipLease', () => {
  it('creates the Lease with the subnets, renews it every third of its duration, deletes it on stop', async () => {
    const { store, clock, lease } = setup();
    lease.setSubnets(['192.0.2.0/24', '2001:db8:1::/64']);
    lease.start();
    await flushPromises();
    expect(store.read(ref)).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 3,
      renewTime: '2026-01-02T03:04:05.000000Z',
      annotations: { 'purelb.io/subnets': '192.0.2.0/24,2001:db8:1::/64' },
    });
    const first = store.read(ref)?.resourceVersion;
    await clock.advanceAsync(999);
    expect(store.read(ref)?.resourceVersion).toBe(first);
    await clock.advanceAsync(1);
    expect(store.read(ref)).toMatchObject({ renewTime: '2026-01-02T03:04:06.000000Z' });
    expect(store.writes.map((w) => w.op)).toEqual(['create', 'replace']);
    await lease.stop();
    expect(store.read(ref)).toBeUndefined();
    await clock.advanceAsync(5000);
    expect(store.writes.map((w) => w.op)).toEqual(['create', 'replace', 'delete']);
  });

  it('writes a subnet change at once', async () => {
    const { store, clock, lease } = setup();
    lease.start();
    await flushPromises();
    lease.setSubnets(['198.51.100.0/24']);
    await flushPromises();
    expect(store.read(ref)?.annotations).toEqual({ 'purelb.io/subnets': '198.51.100.0/24' });
    expect(store.writes).toHaveLength(2);
    lease.setSubnets(['198.51.100.0/24']);
    await clock.advanceAsync(500);
    expect(store.writes).toHaveLength(2);
    await lease.stop();
  });

  it('reports failures, keeps trying, and takes over a Lease that someone else changed', async () => {
    const { store, clock, failures, lease } = setup();
    store.setFault('a', 'unavailable');
    lease.start();
    await flushPromises();
    expect(failures).toEqual(['get:Unavailable']);
    store.setFault('a', 'none');
    await clock.advanceAsync(1000);
    expect(store.read(ref)?.holderIdentity).toBe('a');
    store.put(ref, {
      holderIdentity: 'intruder',
      leaseDurationSeconds: 3,
      acquireTime: undefined,
      renewTime: undefined,
      leaseTransitions: 0,
    });
    await clock.advanceAsync(1000);
    expect(failures).toEqual(['get:Unavailable', 'renew:Conflict']);
    await clock.advanceAsync(1000);
    expect(store.read(ref)?.holderIdentity).toBe('a');
    await lease.stop();
  });
});
