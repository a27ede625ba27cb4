// Leader election on a coordination.k8s.io/v1 Lease.
import type { Observable } from 'rxjs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock, RandomSource } from './clock.ts';
import type { LeaseClient } from './lease-client.ts';
import type { WriteError } from './write-result.ts';

export interface LeaderElectorOptions {
  /** The API server (or pass `leaseClient`). */
  readonly kubeConfig?: KubeConfig;
  readonly leaseClient?: LeaseClient;
  readonly namespace: string;
  readonly name: string;
  /** This candidate's unique identity (e.g. the pod name). */
  readonly identity: string;
  /** How long a lease is valid without renewal. Default 15 000 ms; written rounded up to whole seconds. */
  readonly leaseDurationMs?: number;
  /** A leader that could not renew for this long steps down. Must be < leaseDurationMs. Default 10 000 ms. */
  readonly renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew. Must be < renewDeadlineMs. Default 2 000 ms. */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  /** Jitter for the retry period of non-leaders. Default `Math.random`. */
  readonly random?: RandomSource;
  /** Wall-clock time written into acquireTime/renewTime (informational only). Default `() => new Date()`. */
  readonly wallClock?: () => Date;
}

export interface ElectionStatus {
  readonly isLeader: boolean;
  /** The holder as last observed (undefined: none, or not yet observed). */
  readonly holder: string | undefined;
  /** Failed renew attempts since start (a counter, for metrics). */
  readonly renewFailures: number;
  readonly lastError: WriteError | undefined;
  readonly stopped: boolean;
}

export interface LeaderElector {
  /** false at first, then every change (distinct, replayed latest). Completes when stopped. */
  readonly isLeader$: Observable<boolean>;
  readonly status$: Observable<ElectionStatus>;
  isLeader(): boolean;
  /** Starts campaigning. Idempotent. */
  start(): void;
  /** Steps down, releases the lease (clears the holder so a peer takes over at once) and stops. */
  stop(): Promise<void>;
  /** Stops without touching the lease, as if the process died: peers take over after it expires. */
  abandon(): void;
}

/** Invalid timing options are a programming error and throw a RangeError. */
export function createLeaderElector(_options: LeaderElectorOptions): LeaderElector {
  throw new Error('createLeaderElector: not implemented yet');
}
