// A keyed work queue for level-based reconcilers.
import type { BackoffPolicy } from './backoff.ts';
import type { Clock, RandomSource } from './clock.ts';

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

export function createWorkQueue<K>(_options: WorkQueueOptions<K>): WorkQueue<K> {
  throw new Error('createWorkQueue: not implemented yet');
}
