// Leadership: one active replica at a time, held through a coordination.k8s.io/v1 Lease (the leader Lease).
import { BehaviorSubject, distinctUntilChanged } from 'rxjs';
import type { Observable } from 'rxjs';
import type { ClusterAccess } from './cluster-access.ts';
import { systemClock } from './clock.ts';
import type { CancelTimer, Clock, RandomSource } from './clock.ts';
import { createLeaseClient, formatMicroTime } from './lease-client.ts';
import type { LeaseClient, LeaseRecord, LeaseSpec } from './lease-client.ts';
import type { ApiError } from './api-result.ts';

export interface LeadershipOptions {
  /** The API server (or pass `leaseClient`). */
  readonly kubeConfig?: ClusterAccess;
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

export interface LeadershipStatus {
  readonly isLeader: boolean;
  /** The holder as last observed (undefined: none, or not yet observed). */
  readonly holder: string | undefined;
  /** Failed renew attempts since start (a counter, for metrics). */
  readonly renewFailures: number;
  /**
   * While leading: the clock's time at which the last successful acquire/renew attempt started. The
   * lease is safe to act on until `renewedAt + renewDeadlineMs` (it steps down then).
   */
  readonly renewedAt: number | undefined;
  readonly lastError: ApiError | undefined;
  readonly stopped: boolean;
}

export interface Leadership {
  /** false at first, then every change (distinct, replayed latest). Completes when stopped. */
  readonly isLeader$: Observable<boolean>;
  readonly status$: Observable<LeadershipStatus>;
  isLeader(): boolean;
  /** Starts campaigning. Idempotent. */
  start(): void;
  /** Steps down, releases the lease (clears the holder so a peer takes over at once) and stops. */
  stop(): Promise<void>;
  /** Stops without touching the lease, as if the process died: peers take over after it expires. */
  abandon(): void;
}

/** Invalid options (timings out of order, no API access) are a programming error and throw a RangeError. */
export function createLeadership(options: LeadershipOptions): Leadership {
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  if (!(retryPeriodMs > 0 && retryPeriodMs < renewDeadlineMs && renewDeadlineMs < leaseDurationMs)) {
    throw new RangeError(
      `leadership needs 0 < retryPeriodMs (${retryPeriodMs}) < renewDeadlineMs (${renewDeadlineMs}) < leaseDurationMs (${leaseDurationMs})`,
    );
  }
  if (options.identity === '') throw new RangeError('leadership needs a non-empty identity');
  const client =
    options.leaseClient ??
    (options.kubeConfig === undefined
      ? undefined
      : createLeaseClient(options.kubeConfig, { timeoutMs: renewDeadlineMs }));
  if (client === undefined) throw new RangeError('leadership needs a kubeConfig or a leaseClient');
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const wallClock = options.wallClock ?? (() => new Date());
  const ref = { namespace: options.namespace, name: options.name };
  const identity = options.identity;
  const durationSeconds = Math.ceil(leaseDurationMs / 1000);

  let started = false;
  let stopped = false;
  let leader = false;
  /** The lease as last read or written, and when (local monotonic time) it was last seen to change. */
  let observed: LeaseRecord | undefined;
  let observedAt = 0;
  let renewFailures = 0;
  let lastError: ApiError | undefined;
  let cancelTick: CancelTimer | undefined;
  let cancelDeadline: CancelTimer | undefined;
  let inFlight: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  let renewedAt: number | undefined;
  const status = (): LeadershipStatus => ({
    isLeader: leader,
    holder: observed?.holderIdentity,
    renewFailures,
    renewedAt: leader ? renewedAt : undefined,
    lastError,
    stopped,
  });
  const leaderSubject = new BehaviorSubject(false);
  const statusSubject = new BehaviorSubject<LeadershipStatus>(status());
  const publish = (): void => {
    if (!statusSubject.closed) statusSubject.next(status());
  };
  const setLeader = (value: boolean): void => {
    if (leader === value) return;
    leader = value;
    if (!value) {
      cancelDeadline?.();
      cancelDeadline = undefined;
    }
    if (!leaderSubject.closed) leaderSubject.next(value);
  };

  const observe = (record: LeaseRecord | undefined, at: number): void => {
    if (record === undefined || observed === undefined || !sameRecord(record, observed)) observedAt = at;
    observed = record;
  };

  const heldByOther = (record: LeaseRecord | undefined, at: number): boolean => {
    const holder = record?.holderIdentity;
    if (record === undefined || holder === undefined || holder === identity) return false;
    const validMs = (record.leaseDurationSeconds ?? durationSeconds) * 1000;
    return observedAt + validMs > at;
  };

  const nextSpec = (current: LeaseRecord | undefined): LeaseSpec => {
    const now = formatMicroTime(wallClock());
    const mine = current?.holderIdentity === identity;
    return {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: mine ? (current.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: mine ? (current.leaseTransitions ?? 0) : (current?.leaseTransitions ?? -1) + 1,
      ...(current?.annotations === undefined ? {} : { annotations: current.annotations }),
    };
  };

  /** One try to acquire or renew; true when this candidate holds the lease afterwards. */
  const attempt = async (): Promise<boolean> => {
    const got = await client.get(ref);
    if (!got.ok) {
      lastError = got.error;
      return false;
    }
    observe(got.value, clock.now());
    if (stopped || heldByOther(got.value, clock.now())) return false;
    const written =
      got.value === undefined
        ? await client.create(ref, nextSpec(undefined))
        : await client.replace(ref, nextSpec(got.value), got.value.resourceVersion);
    if (!written.ok) {
      lastError = written.error;
      return false;
    }
    observe(written.value, clock.now());
    lastError = undefined;
    return true;
  };

  const tick = (): void => {
    cancelTick = undefined;
    if (stopped) return;
    const began = clock.now();
    inFlight = attempt()
      .catch((error: unknown) => {
        lastError = {
          code: 'Unknown',
          status: undefined,
          message: error instanceof Error ? error.message : String(error),
        };
        return false;
      })
      .then((won) => {
        inFlight = undefined;
        if (stopped) return;
        // A success that took longer than the renew deadline is not trusted: the next tick renews.
        if (won && clock.now() - began < renewDeadlineMs) {
          renewedAt = began;
          setLeader(true);
          // Measured from before the request was sent: peers saw the change later, so this deadline
          // passes before they can consider the lease expired.
          cancelDeadline?.();
          cancelDeadline = clock.setTimer(began + renewDeadlineMs - clock.now(), () => {
            cancelDeadline = undefined;
            setLeader(false);
            publish();
          });
        } else if (leader) {
          renewFailures++;
          if (heldByOther(observed, clock.now())) setLeader(false);
        }
        publish();
        const pause = leader ? retryPeriodMs : retryPeriodMs * (1 + 0.2 * random());
        cancelTick = clock.setTimer(pause, tick);
      });
  };

  const release = async (): Promise<void> => {
    for (let tries = 0; tries < 2; tries++) {
      const current = observed;
      if (current?.holderIdentity !== identity) return;
      const now = formatMicroTime(wallClock());
      const spec: LeaseSpec = {
        holderIdentity: undefined,
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: current.leaseTransitions,
        ...(current.annotations === undefined ? {} : { annotations: current.annotations }),
      };
      const written = await client.replace(ref, spec, current.resourceVersion);
      if (written.ok) {
        observe(written.value, clock.now());
        return;
      }
      lastError = written.error;
      if (written.error.code !== 'Conflict') return;
      const got = await client.get(ref);
      if (!got.ok) return;
      observe(got.value, clock.now());
    }
  };

  const halt = (): void => {
    stopped = true;
    cancelTick?.();
    cancelTick = undefined;
    setLeader(false);
  };
  const complete = (): void => {
    publish();
    leaderSubject.complete();
    statusSubject.complete();
  };

  return {
    isLeader$: leaderSubject.pipe(distinctUntilChanged()),
    status$: statusSubject.asObservable(),
    isLeader: () => leader,
    start: () => {
      if (started || stopped) return;
      started = true;
      tick();
    },
    stop: () => {
      stopping ??= (async () => {
        halt();
        if (inFlight !== undefined) await inFlight;
        try {
          await release();
        } catch {
          // release is best effort: the lease expires on its own
        }
        complete();
      })();
      return stopping;
    },
    abandon: () => {
      if (stopped) return;
      halt();
      complete();
    },
  };
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}
