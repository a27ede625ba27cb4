// A keyed work queue for level-based reconcilers.
import { backoffDelay, resolveBackoff } from './backoff.ts';
import type { BackoffPolicy } from './backoff.ts';
import { systemClock } from './clock.ts';
import type { CancelTimer, Clock, RandomSource } from './clock.ts';

/** What a reconcile of one key concluded. */
export type ReconcileOutcome =
  | { readonly kind: 'converged' }
  /** Try again after `afterMs`, or after the queue's backoff for this key when unset. */
  | { readonly kind: 'retry'; readonly afterMs?: number; readonly reason: string }
  /** Nothing will help until the key is added again (or `requeueAll()`). */
  | { readonly kind: 'terminal'; readonly reason: string };

export interface SettledReconcile<K> {
  readonly key: K;
  readonly outcome: ReconcileOutcome;
  /** 1 for the first try since the key last converged, then 2, 3, … */
  readonly attempt: number;
  /** Measured with the queue's clock. */
  readonly durationMs: number;
}

export interface WorkQueueOptions<K> {
  /** Reconciles one key. A rejection counts as `{ kind: 'retry', reason: <message> }`. */
  readonly reconcile: (key: K) => Promise<ReconcileOutcome>;
  /** Reconciles running at once (different keys). Default 1. */
  readonly concurrency?: number;
  /** Delay for `retry` outcomes without `afterMs`, by attempt. Default `defaultBackoff`. */
  readonly backoff?: Partial<BackoffPolicy>;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** Told about every finished reconcile (for metrics and logs). Must not throw. */
  readonly onSettled?: (settled: SettledReconcile<K>) => void;
}

export interface WorkQueueStats {
  /** Keys waiting for a free worker. */
  readonly queued: number;
  /** Keys being reconciled now. */
  readonly running: number;
  /** Keys waiting for their retry timer. */
  readonly waiting: number;
  /** Keys whose last outcome was terminal. */
  readonly parked: number;
}

export interface WorkQueue<K> {
  /** Queues a key (once, however often it is added). A key added while it runs is reconciled again afterwards. */
  add(key: K): void;
  addAll(keys: Iterable<K>): void;
  /** Queues now every key that waits for a retry or was parked by a terminal outcome ("something freed up"). */
  requeueAll(): void;
  /** Resolves when no key is queued or running (keys waiting for a retry timer do not count). */
  idle(): Promise<void>;
  stats(): WorkQueueStats;
  /** Stops taking keys, cancels retry timers, and resolves once running reconciles finished. */
  stop(): Promise<void>;
}

export function createWorkQueue<K>(options: WorkQueueOptions<K>): WorkQueue<K> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy = resolveBackoff(options.backoff);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));

  const queue: K[] = [];
  const queued = new Set<K>();
  const running = new Set<K>();
  const dirty = new Set<K>();
  const waiting = new Map<K, CancelTimer>();
  const parked = new Set<K>();
  const attempts = new Map<K, number>();
  let idleWaiters: (() => void)[] = [];
  let stopWaiters: (() => void)[] = [];
  let stopped = false;

  const isIdle = (): boolean => queue.length === 0 && running.size === 0;

  const notify = (): void => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
    if (stopped) {
      const stops = stopWaiters;
      stopWaiters = [];
      for (const resolve of stops) resolve();
    }
  };

  const enqueue = (key: K): void => {
    if (stopped) return;
    const timer = waiting.get(key);
    if (timer !== undefined) {
      timer();
      waiting.delete(key);
    }
    parked.delete(key);
    if (running.has(key)) {
      dirty.add(key);
      return;
    }
    if (queued.has(key)) return;
    queued.add(key);
    queue.push(key);
    pump();
  };

  const pump = (): void => {
    while (!stopped && running.size < concurrency && queue.length > 0) {
      const key = queue.shift() as K;
      queued.delete(key);
      run(key);
    }
  };

  const run = (key: K): void => {
    running.add(key);
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const started = { key, attempt, at: clock.now() };
    let pending: Promise<ReconcileOutcome>;
    try {
      pending = options.reconcile(key);
    } catch (error) {
      pending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    pending.then(
      (outcome) => {
        settle(started, outcome);
      },
      (error: unknown) => {
        settle(started, { kind: 'retry', reason: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  const settle = ({ key, attempt, at }: { key: K; attempt: number; at: number }, outcome: ReconcileOutcome): void => {
    running.delete(key);
    try {
      options.onSettled?.({ key, outcome, attempt, durationMs: clock.now() - at });
    } catch {
      // a misbehaving observer must not stop the queue
    }
    const again = dirty.delete(key);
    switch (outcome.kind) {
      case 'converged':
        attempts.delete(key);
        break;
      case 'terminal':
        attempts.delete(key);
        if (!again && !stopped) parked.add(key);
        break;
      case 'retry':
        if (!again && !stopped) {
          const delay =
            outcome.afterMs !== undefined && Number.isFinite(outcome.afterMs)
              ? Math.max(0, outcome.afterMs)
              : backoffDelay(policy, attempt, random);
          waiting.set(
            key,
            clock.setTimer(delay, () => {
              waiting.delete(key);
              enqueue(key);
            }),
          );
        }
        break;
    }
    if (again) enqueue(key);
    pump();
    notify();
  };

  return {
    add: enqueue,
    addAll: (keys) => {
      for (const key of keys) enqueue(key);
    },
    requeueAll: () => {
      for (const key of [...waiting.keys(), ...parked]) enqueue(key);
    },
    idle: () =>
      isIdle()
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
          }),
    stats: () => ({ queued: queue.length, running: running.size, waiting: waiting.size, parked: parked.size }),
    stop: () => {
      stopped = true;
      for (const cancel of waiting.values()) cancel();
      waiting.clear();
      parked.clear();
      queue.length = 0;
      queued.clear();
      dirty.clear();
      if (running.size === 0) {
        notify();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        stopWaiters.push(resolve);
      });
    },
  };
}
