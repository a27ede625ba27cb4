import { describe, expect, it } from 'vitest';
import { createLeadership } from './leadership.ts';
import type { Leadership } from './leadership.ts';
import { createFakeClock, flushPromises } from './testing/fake-clock.ts';
import type { FakeClock } from './testing/fake-clock.ts';
import { createFakeLeaseStore } from './testing/fake-lease-store.ts';
import type { FakeLeaseStore } from './testing/fake-lease-store.ts';

const ref = { namespace: 'purelb', name: 'purelb-allocator' };
const timing = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

interface Candidate {
  leadership: Leadership;
  /** [time, isLeader] for every emission. */
  changes: [number, boolean][];
}

function candidate(store: FakeLeaseStore, clock: FakeClock, identity: string): Candidate {
  const leadership = createLeadership({
    leaseClient: store.client(identity),
    ...ref,
    identity,
    ...timing,
    clock,
    random: () => 0.5,
    wallClock: () => new Date(Date.UTC(2026, 0, 1) + clock.now()),
  });
  const changes: [number, boolean][] = [];
  leadership.isLeader$.subscribe((v) => changes.push([clock.now(), v]));
  return { leadership, changes };
}

/** Two candidates on one store: `a` starts first and leads, then `b` joins; the clock runs `forMs`. */
async function aLeadsThenBJoins(
  forMs: number,
): Promise<{ store: FakeLeaseStore; clock: FakeClock; a: Candidate; b: Candidate }> {
  const store = createFakeLeaseStore();
  const clock = createFakeClock();
  const a = candidate(store, clock, 'a');
  const b = candidate(store, clock, 'b');
  a.leadership.start();
  await flushPromises();
  b.leadership.start();
  await clock.advanceAsync(forMs);
  return { store, clock, a, b };
}

/** Advances in 100 ms steps until `until` holds (or `limit` ms passed); returns the time it took. */
async function runUntil(clock: FakeClock, until: () => boolean, limit = 120_000): Promise<number> {
  const start = clock.now();
  while (!until()) {
    if (clock.now() - start > limit) throw new Error('condition not reached');
    await clock.advanceAsync(100);
  }
  return clock.now() - start;
}

describe('createLeadership', () => {
  it('creates the lease and leads when alone', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    a.leadership.start();
    await flushPromises();
    expect(a.leadership.isLeader()).toBe(true);
    expect(a.changes).toEqual([
      [0, false],
      [0, true],
    ]);
    expect(store.read(ref)).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(store.read(ref)!.renewTime).toBe('2026-01-01T00:00:00.000000Z');
    await a.leadership.stop();
  });

  it('keeps exactly one leader among candidates while the leader renews', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const cs = ['a', 'b', 'c'].map((id) => candidate(store, clock, id));
    for (const c of cs) c.leadership.start();
    for (let t = 0; t < 120_000; t += 500) {
      await clock.advanceAsync(500);
      expect(cs.filter((c) => c.leadership.isLeader())).toHaveLength(1);
    }
    expect(cs[0]!.changes).toEqual([
      [0, false],
      [0, true],
    ]);
    expect(store.writes.filter((w) => w.holder !== 'a')).toEqual([]);
    for (const c of cs) await c.leadership.stop();
  });

  it('releases on stop: steps down first, clears the holder, and a peer takes over within a retry period', async () => {
    const { store, clock, a, b } = await aLeadsThenBJoins(30_000);
    expect([a.leadership.isLeader(), b.leadership.isLeader()]).toEqual([true, false]);
    const stoppedAt = clock.now();
    let released = false;
    const stopping = a.leadership.stop().then(() => (released = true));
    expect(a.leadership.isLeader()).toBe(false);
    await stopping;
    expect(released).toBe(true);
    expect(store.read(ref)!.holderIdentity).toBeUndefined();
    const took = await runUntil(clock, () => b.leadership.isLeader());
    expect(took).toBeLessThanOrEqual(timing.retryPeriodMs * 1.2);
    expect(store.read(ref)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(a.changes.at(-1)).toEqual([stoppedAt, false]);
    await b.leadership.stop();
  });

  it('after an abandoned leader, a peer takes over only once the lease expired by its own clock', async () => {
    const { store, clock, a, b } = await aLeadsThenBJoins(10_000);
    const lastRenew = store.writes.length;
    a.leadership.abandon();
    expect(store.writes).toHaveLength(lastRenew);
    const abandonedAt = clock.now();
    await runUntil(clock, () => b.leadership.isLeader());
    const takeover = clock.now() - abandonedAt;
    expect(takeover).toBeGreaterThan(timing.leaseDurationMs - timing.retryPeriodMs);
    expect(takeover).toBeLessThanOrEqual(timing.leaseDurationMs + timing.retryPeriodMs * 1.2);
    expect(store.read(ref)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.leadership.stop();
  });

  it('judges expiry from when it observed the record change, not from the remote renewTime', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock(1_000_000);
    // Written long ago by someone with a clock far behind: its timestamps say "expired years ago".
    store.put(ref, {
      holderIdentity: 'ghost',
      leaseDurationSeconds: 15,
      acquireTime: '2001-01-01T00:00:00.000000Z',
      renewTime: '2001-01-01T00:00:00.000000Z',
      leaseTransitions: 4,
    });
    const b = candidate(store, clock, 'b');
    b.leadership.start();
    await clock.advanceAsync(14_000);
    expect(b.leadership.isLeader()).toBe(false);
    await runUntil(clock, () => b.leadership.isLeader());
    expect(store.read(ref)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 5 });
    await b.leadership.stop();
  });

  it('a leader that cannot renew steps down at its renew deadline, before the lease can be taken', async () => {
    const { store, clock, a, b } = await aLeadsThenBJoins(7_000);
    const lastRenewAttempt = Math.floor(clock.now() / timing.retryPeriodMs) * timing.retryPeriodMs;
    store.setFault('a', 'unavailable');
    await runUntil(clock, () => b.leadership.isLeader());
    const [[downAt]] = a.changes.filter(([, v]) => !v).slice(-1) as [[number, boolean]];
    const [[upAt]] = b.changes.filter(([, v]) => v) as [[number, boolean]];
    expect(downAt).toBe(lastRenewAttempt + timing.renewDeadlineMs);
    expect(upAt).toBeGreaterThanOrEqual(lastRenewAttempt + timing.leaseDurationMs);
    expect(downAt).toBeLessThan(upAt);
    await a.leadership.stop();
    await b.leadership.stop();
  });

  it('steps down at the deadline even when its renew requests hang', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    a.leadership.start();
    await clock.advanceAsync(4_000);
    store.setFault('a', 'hang');
    await clock.advanceAsync(9_000);
    expect(a.leadership.isLeader()).toBe(true);
    await clock.advanceAsync(2_000);
    expect(a.leadership.isLeader()).toBe(false);
    a.leadership.abandon();
  });

  it('reports when the last successful renewal started, while leading', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    const seen: (number | undefined)[] = [];
    a.leadership.status$.subscribe((s) => seen.push(s.renewedAt));
    a.leadership.start();
    await clock.advanceAsync(4_500);
    expect(seen.at(-1)).toBe(4_000);
    store.setFault('a', 'unavailable');
    await clock.advanceAsync(4_000);
    expect(seen.at(-1)).toBe(4_000);
    await clock.advanceAsync(5_499);
    expect(a.leadership.isLeader()).toBe(true);
    await clock.advanceAsync(1);
    expect(a.leadership.isLeader()).toBe(false);
    expect(seen.at(-1)).toBeUndefined();
    a.leadership.abandon();
  });

  it('counts failed renewals and leads again when renewing works again before anyone took over', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    const statuses: number[] = [];
    a.leadership.status$.subscribe((s) => statuses.push(s.renewFailures));
    a.leadership.start();
    await clock.advanceAsync(1_000);
    store.setFault('a', 'unavailable');
    await clock.advanceAsync(4_100);
    expect(a.leadership.isLeader()).toBe(true);
    expect(statuses.at(-1)).toBe(2);
    store.setFault('a', 'none');
    await clock.advanceAsync(2_000);
    expect(a.leadership.isLeader()).toBe(true);
    expect(a.changes.map(([, v]) => v)).toEqual([false, true]);
    await a.leadership.stop();
  });

  it('steps down at once when it sees that someone else holds the lease', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    a.leadership.start();
    await clock.advanceAsync(1_000);
    store.put(ref, {
      holderIdentity: 'intruder',
      leaseDurationSeconds: 15,
      acquireTime: undefined,
      renewTime: undefined,
      leaseTransitions: 9,
    });
    await clock.advanceAsync(2_000);
    expect(a.leadership.isLeader()).toBe(false);
    await a.leadership.stop();
    expect(store.read(ref)!.holderIdentity).toBe('intruder');
  });

  it('of two candidates racing for a free lease exactly one wins', async () => {
    const store = createFakeLeaseStore();
    store.put(ref, {
      holderIdentity: undefined,
      leaseDurationSeconds: 1,
      acquireTime: undefined,
      renewTime: undefined,
      leaseTransitions: 2,
    });
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.leadership.start();
    b.leadership.start();
    await flushPromises();
    expect([a.leadership.isLeader(), b.leadership.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(store.read(ref)!.leaseTransitions).toBe(3);
    await a.leadership.stop();
    await b.leadership.stop();
  });

  it('completes its observables when stopped and ignores start afterwards', async () => {
    const store = createFakeLeaseStore();
    const clock = createFakeClock();
    const a = candidate(store, clock, 'a');
    let completed = false;
    a.leadership.isLeader$.subscribe({ complete: () => (completed = true) });
    a.leadership.start();
    await flushPromises();
    await a.leadership.stop();
    await a.leadership.stop();
    a.leadership.start();
    await clock.advanceAsync(10_000);
    expect(completed).toBe(true);
    expect(a.leadership.isLeader()).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it.each([
    [{ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 10_000 }],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 0 }],
  ])('rejects inconsistent timings %o', (t) => {
    expect(() =>
      createLeadership({ leaseClient: createFakeLeaseStore().client(), ...ref, identity: 'a', ...t }),
    ).toThrow(RangeError);
  });

  it('rejects a missing API and an empty identity', () => {
    expect(() => createLeadership({ ...ref, identity: 'a' })).toThrow(RangeError);
    expect(() => createLeadership({ leaseClient: createFakeLeaseStore().client(), ...ref, identity: '' })).toThrow(
      RangeError,
    );
  });
});
