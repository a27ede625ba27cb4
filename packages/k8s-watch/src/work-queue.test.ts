import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue.ts';
import type { ReconcileOutcome, SettledReconcile } from './work-queue.ts';
import { createFakeClock, flushPromises } from './testing/fake-clock.ts';

interface Deferred {
  resolve(outcome: ReconcileOutcome): void;
  reject(error: Error): void;
}

/** A reconcile whose calls stay pending until the test settles them. */
function scriptedReconcile() {
  const calls: string[] = [];
  const pending = new Map<string, Deferred[]>();
  let active = 0;
  let maxActive = 0;
  const activeByKey = new Map<string, number>();
  let maxPerKey = 0;
  const reconcile = (key: string): Promise<ReconcileOutcome> => {
    calls.push(key);
    active++;
    maxActive = Math.max(maxActive, active);
    activeByKey.set(key, (activeByKey.get(key) ?? 0) + 1);
    maxPerKey = Math.max(maxPerKey, activeByKey.get(key) ?? 0);
    return new Promise<ReconcileOutcome>((resolve, reject) => {
      const done = () => {
        active--;
        activeByKey.set(key, (activeByKey.get(key) ?? 1) - 1);
      };
      const list = pending.get(key) ?? [];
      list.push({
        resolve: (o) => {
          done();
          resolve(o);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      pending.set(key, list);
    });
  };
  const settle = async (key: string, outcome: ReconcileOutcome = { kind: 'converged' }) => {
    const next = pending.get(key)?.shift();
    if (next === undefined) throw new Error(`no pending reconcile of ${key}`);
    next.resolve(outcome);
    await flushPromises();
  };
  const fail = async (key: string, message: string) => {
    const next = pending.get(key)?.shift();
    if (next === undefined) throw new Error(`no pending reconcile of ${key}`);
    next.reject(new Error(message));
    await flushPromises();
  };
  return { reconcile, calls, settle, fail, maxActive: () => maxActive, maxPerKey: () => maxPerKey };
}

describe('createWorkQueue', () => {
  it('reconciles a key added several times while queued only once', async () => {
    const s = scriptedReconcile();
    const q = createWorkQueue({ reconcile: s.reconcile, clock: createFakeClock() });
    q.add('blocker');
    q.add('a');
    q.add('a');
    q.addAll(['a', 'b', 'a']);
    expect(q.stats()).toEqual({ queued: 2, running: 1, waiting: 0, parked: 0 });
    await s.settle('blocker');
    await s.settle('a');
    await s.settle('b');
    await q.idle();
    expect(s.calls).toEqual(['blocker', 'a', 'b']);
  });

  it('runs one reconcile per key at a time and reruns a key added while it runs', async () => {
    const s = scriptedReconcile();
    const q = createWorkQueue({ reconcile: s.reconcile, concurrency: 4, clock: createFakeClock() });
    q.add('a');
    q.add('a');
    q.add('a');
    expect(s.calls).toEqual(['a']);
    await s.settle('a');
    expect(s.calls).toEqual(['a', 'a']);
    await s.settle('a');
    await q.idle();
    expect(s.calls).toEqual(['a', 'a']);
    expect(s.maxPerKey()).toBe(1);
  });

  it('never runs more reconciles at once than its concurrency', async () => {
    const s = scriptedReconcile();
    const q = createWorkQueue({ reconcile: s.reconcile, concurrency: 3, clock: createFakeClock() });
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    q.addAll(keys);
    expect(q.stats()).toMatchObject({ running: 3, queued: 7 });
    for (const key of keys) await s.settle(key);
    await q.idle();
    expect(s.calls).toEqual(keys);
    expect(s.maxActive()).toBe(3);
  });

  it('retries with growing backoff until converged, and reports every attempt', async () => {
    const s = scriptedReconcile();
    const clock = createFakeClock();
    const settled: SettledReconcile<string>[] = [];
    const q = createWorkQueue({
      reconcile: s.reconcile,
      clock,
      random: () => 0,
      backoff: { initialMs: 100, factor: 2, maxMs: 250, jitter: 0.5 },
      onSettled: (r) => settled.push(r),
    });
    q.add('a');
    await s.settle('a', { kind: 'retry', reason: 'pool exhausted' });
    expect(q.stats()).toMatchObject({ waiting: 1, running: 0 });
    await q.idle();
    clock.advance(99);
    expect(s.calls).toHaveLength(1);
    clock.advance(1);
    expect(s.calls).toHaveLength(2);
    await s.settle('a', { kind: 'retry', reason: 'pool exhausted' });
    clock.advance(199);
    expect(s.calls).toHaveLength(2);
    clock.advance(1);
    expect(s.calls).toHaveLength(3);
    await s.settle('a', { kind: 'retry', reason: 'pool exhausted' });
    expect(clock.nextTimerIn()).toBe(250);
    clock.advance(250);
    await s.settle('a');
    expect(settled.map((r) => [r.attempt, r.outcome.kind])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
      [4, 'converged'],
    ]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('applies jitter from the injected random source', async () => {
    const s = scriptedReconcile();
    const clock = createFakeClock();
    const q = createWorkQueue({
      reconcile: s.reconcile,
      clock,
      random: () => 1,
      backoff: { initialMs: 100, jitter: 0.5 },
    });
    q.add('a');
    await s.settle('a', { kind: 'retry', reason: 'x' });
    expect(clock.nextTimerIn()).toBe(50);
    await q.stop();
  });

  it('honours afterMs of a retry outcome', async () => {
    const s = scriptedReconcile();
    const clock = createFakeClock();
    const q = createWorkQueue({ reconcile: s.reconcile, clock, random: () => 0 });
    q.add('a');
    await s.settle('a', { kind: 'retry', afterMs: 5000, reason: 'later' });
    clock.advance(4999);
    expect(s.calls).toHaveLength(1);
    clock.advance(1);
    expect(s.calls).toHaveLength(2);
    await s.settle('a');
  });

  it('treats a rejected or throwing reconcile as retry', async () => {
    const clock = createFakeClock();
    const settled: SettledReconcile<string>[] = [];
    const s = scriptedReconcile();
    const q = createWorkQueue({
      reconcile: (key: string) => {
        if (key === 'sync') throw new Error('broken synchronously');
        return s.reconcile(key);
      },
      clock,
      random: () => 0,
      onSettled: (r) => settled.push(r),
    });
    q.add('a');
    q.add('sync');
    await s.fail('a', 'boom');
    await flushPromises();
    expect(settled.map((r) => r.outcome)).toEqual(
      expect.arrayContaining([
        { kind: 'retry', reason: 'boom' },
        { kind: 'retry', reason: 'broken synchronously' },
      ]),
    );
    expect(q.stats().waiting).toBe(2);
    await q.stop();
  });

  it('parks terminal keys until added again or requeueAll', async () => {
    const s = scriptedReconcile();
    const clock = createFakeClock();
    const q = createWorkQueue({ reconcile: s.reconcile, clock, random: () => 0, concurrency: 2 });
    q.addAll(['t', 'r', 'c']);
    await s.settle('t', { kind: 'terminal', reason: 'bad annotation' });
    await s.settle('r', { kind: 'retry', afterMs: 60_000, reason: 'pool exhausted' });
    await s.settle('c');
    expect(q.stats()).toEqual({ queued: 0, running: 0, waiting: 1, parked: 1 });
    clock.advance(1_000_000 - 60_001);
    expect(s.calls).toEqual(['t', 'r', 'c', 'r']);
    await s.settle('r', { kind: 'retry', afterMs: 60_000, reason: 'pool exhausted' });
    q.requeueAll();
    expect([...s.calls.slice(4)].sort()).toEqual(['r', 't']);
    expect(q.stats()).toMatchObject({ waiting: 0, parked: 0, running: 2 });
    await s.settle('r');
    await s.settle('t');
    q.requeueAll();
    expect(s.calls).toHaveLength(6);
    q.add('t');
    expect(s.calls).toHaveLength(7);
    await s.settle('t');
    await q.idle();
  });

  it('an add during a pending retry runs the key at once', async () => {
    const s = scriptedReconcile();
    const clock = createFakeClock();
    const q = createWorkQueue({ reconcile: s.reconcile, clock, random: () => 0 });
    q.add('a');
    await s.settle('a', { kind: 'retry', afterMs: 10_000, reason: 'x' });
    q.add('a');
    expect(s.calls).toEqual(['a', 'a']);
    expect(clock.pendingTimers()).toBe(0);
    await s.settle('a');
  });

  it('idle waits for queued and running work; stop cancels retries and waits for running reconciles', async () => {
    const s = scriptedReconcile();
    const clock = createFakeClock();
    const q = createWorkQueue({ reconcile: s.reconcile, clock, random: () => 0 });
    let idle = false;
    q.addAll(['a', 'b']);
    void q.idle().then(() => (idle = true));
    await s.settle('a', { kind: 'retry', reason: 'x' });
    expect(idle).toBe(false);
    let stopped = false;
    void q.stop().then(() => (stopped = true));
    await flushPromises();
    expect(stopped).toBe(false);
    await s.settle('b');
    expect(stopped).toBe(true);
    expect(idle).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    q.add('c');
    clock.advance(1_000_000);
    expect(s.calls).toEqual(['a', 'b']);
  });
});
