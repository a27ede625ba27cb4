// This node's membership Lease `purelb-node-<node>`: created, renewed every third of its duration
// with the node's subnets in an annotation, and deleted on a graceful stop so peers take over at once.
import type { ApiError, Clock, LeaseClient, LeaseRecord, LeaseSpec } from '@purelb/k8s-watch';
import { ANNOTATIONS, MEMBER_LEASE_PREFIX } from './constants.ts';

export interface MembershipLeaseOptions {
  readonly leaseClient: LeaseClient;
  readonly namespace: string;
  readonly node: string;
  readonly durationMs: number;
  readonly clock: Clock;
  /** Wall clock for `renewTime`. */
  readonly wallClock: () => Date;
  /** Told about every failed write (the next one follows at the next third). */
  readonly onFailure: (operation: 'create' | 'renew' | 'get' | 'delete', error: ApiError) => void;
  /** Told once, after the first successful write of this process. */
  readonly onFirstWrite?: () => void;
}

export interface MembershipLease {
  start(): void;
  /** The subnets to publish (canonical CIDRs); a change is written at once. */
  setSubnets(subnets: readonly string[]): void;
  /** Whether this process has written the Lease at least once (before that, what the API server shows is a predecessor's). */
  written(): boolean;
  /** Stops renewing and deletes the Lease. */
  stop(): Promise<void>;
}

const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function createMembershipLease(options: MembershipLeaseOptions): MembershipLease {
  const ref = { namespace: options.namespace, name: `${MEMBER_LEASE_PREFIX}${options.node}` };
  const period = Math.max(1, Math.floor(options.durationMs / 3));
  let subnets = '';
  let record: LeaseRecord | undefined;
  let looked = false;
  /** Read through a property: the loop must see a stop that happens while it awaits. */
  const life = { stopped: false };
  let started = false;
  let wrote = false;
  let cancel: (() => void) | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  /** Bumped by every change of the subnets: a write that saw an older value is followed by another. */
  let changes = 0;

  const spec = (): LeaseSpec => {
    const now = microTime(options.wallClock());
    return {
      holderIdentity: options.node,
      leaseDurationSeconds: Math.ceil(options.durationMs / 1000),
      acquireTime: record?.acquireTime ?? now,
      renewTime: now,
      leaseTransitions: record?.leaseTransitions ?? 0,
      annotations: { ...(record?.annotations ?? {}), [ANNOTATIONS.subnets]: subnets },
    };
  };

  const write = async (): Promise<void> => {
    if (!looked) {
      const got = await options.leaseClient.get(ref);
      if (!got.ok) {
        options.onFailure('get', got.error);
        return;
      }
      record = got.value;
      looked = true;
    }
    if (life.stopped) return;
    const result =
      record === undefined
        ? await options.leaseClient.create(ref, spec())
        : await options.leaseClient.replace(ref, spec(), record.resourceVersion);
    if (result.ok) {
      record = result.value;
      if (!wrote) {
        wrote = true;
        options.onFirstWrite?.();
      }
      return;
    }
    options.onFailure(record === undefined ? 'create' : 'renew', result.error);
    // Someone changed or removed it (or created it first): read it again next time.
    if (result.error.code === 'Conflict' || result.error.code === 'NotFound' || result.error.code === 'AlreadyExists') {
      looked = false;
      record = undefined;
    }
  };

  const schedule = (ms: number): void => {
    cancel?.();
    cancel = options.clock.setTimer(ms, tick);
  };

  function tick(): void {
    if (life.stopped) return;
    cancel = undefined;
    inFlight = inFlight.then(async () => {
      let seen: number;
      do {
        seen = changes;
        await write();
      } while (seen !== changes && !life.stopped);
      if (!life.stopped) schedule(period);
    });
  }

  return {
    start() {
      if (started) return;
      started = true;
      tick();
    },
    setSubnets(next) {
      const text = next.join(',');
      if (text === subnets) return;
      subnets = text;
      changes++;
      if (!started || life.stopped) return;
      // Idle between renewals: write now. In flight: the loop writes once more.
      if (cancel !== undefined) tick();
    },
    written: () => wrote,
    async stop() {
      if (life.stopped) return;
      life.stopped = true;
      cancel?.();
      cancel = undefined;
      await inFlight;
      const result = await options.leaseClient.delete(ref);
      if (!result.ok) options.onFailure('delete', result.error);
    },
  };
}
