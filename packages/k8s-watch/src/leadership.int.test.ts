// Leadership between candidates on a real Lease of the run's API server.
import { performance } from 'node:perf_hooks';
import type { KubeConfig } from '@kubernetes/client-node';
import { createTestNamespace, waitFor } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLeadership } from './leadership.ts';
import type { Leadership } from './leadership.ts';
import { createLeaseClient } from './lease-client.ts';
import type { LeaseRecord } from './lease-client.ts';

const timing = { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 };

let kc: KubeConfig;
beforeAll(() => {
  kc = testKubeConfig();
});

interface Candidate {
  readonly id: string;
  readonly leadership: Leadership;
  /** [start, end) of every leadership period, by the local monotonic clock; end undefined while leading. */
  readonly terms: [number, number | undefined][];
}

function candidate(namespace: string, id: string): Candidate {
  const leadership = createLeadership({ kubeConfig: kc, namespace, name: 'purelb-allocator', identity: id, ...timing });
  const terms: [number, number | undefined][] = [];
  leadership.isLeader$.subscribe((leading) => {
    if (leading) terms.push([performance.now(), undefined]);
    else if (terms.length > 0 && terms.at(-1)![1] === undefined) terms.at(-1)![1] = performance.now();
  });
  return { id, leadership, terms };
}

/** No two candidates were ever leaders at the same time (by one process's clock). */
function overlaps(cs: readonly Candidate[]): string[] {
  const all = cs.flatMap((c) => c.terms.map(([from, to]) => ({ id: c.id, from, to: to ?? Number.POSITIVE_INFINITY })));
  const found: string[] = [];
  for (const a of all)
    for (const b of all) if (a.id < b.id && a.from < b.to && b.from < a.to) found.push(`${a.id}/${b.id}`);
  return found;
}

const ms = (t: string | undefined): number => (t === undefined ? Number.NaN : Date.parse(t));

describe('createLeadership on a real API server', () => {
  it('exactly one leads; after release a peer takes over well within the lease duration; after abandon, once it expired', async () => {
    const namespace = await createTestNamespace(kc, 'leadership');
    const leases = createLeaseClient(kc);
    const ref = { namespace, name: 'purelb-allocator' };
    const read = async (): Promise<LeaseRecord> => {
      const got = await leases.get(ref);
      if (!got.ok || got.value === undefined) throw new Error('no lease');
      return got.value;
    };
    const a = candidate(namespace, 'candidate-a');
    const b = candidate(namespace, 'candidate-b');
    a.leadership.start();
    b.leadership.start();
    const leaders = () => [a, b].filter((c) => c.leadership.isLeader());
    await waitFor('a leader', () => leaders().length === 1, { timeoutMs: 30_000 });
    const first = leaders()[0]!;
    const other = first === a ? b : a;

    // The leader keeps renewing; nobody else leads meanwhile.
    const renewedFrom = (await read()).renewTime;
    await waitFor('renewals', async () => ms((await read()).renewTime) >= ms(renewedFrom) + 3 * timing.retryPeriodMs, {
      timeoutMs: 30_000,
    });
    expect(leaders()).toEqual([first]);
    expect((await read()).holderIdentity).toBe(first.id);

    // Graceful handover: release clears the holder, the peer acquires before the old lease would have expired.
    const beforeRelease = await read();
    const releasedAt = performance.now();
    await first.leadership.stop();
    expect(first.leadership.isLeader()).toBe(false);
    await waitFor('handover after release', () => other.leadership.isLeader(), { timeoutMs: 30_000 });
    const handoverMs = performance.now() - releasedAt;
    const afterRelease = await read();
    expect(afterRelease.holderIdentity).toBe(other.id);
    expect(afterRelease.leaseTransitions).toBe((beforeRelease.leaseTransitions ?? 0) + 1);
    expect(ms(afterRelease.acquireTime)).toBeLessThan(ms(beforeRelease.renewTime) + timing.leaseDurationMs);
    console.log(
      `leadership: handover after release took ${Math.round(handoverMs)} ms (lease duration ${timing.leaseDurationMs} ms)`,
    );

    // Hard failover: the leader vanishes without releasing; a newcomer waits for the lease to expire.
    const c = candidate(namespace, 'candidate-c');
    c.leadership.start();
    await waitFor('a renewal seen by c', async () => (await read()).renewTime !== afterRelease.renewTime, {
      timeoutMs: 30_000,
    });
    other.leadership.abandon();
    const abandonedAt = performance.now();
    const lastRenew = await read();
    expect(lastRenew.holderIdentity).toBe(other.id);
    await waitFor('takeover after expiry', () => c.leadership.isLeader(), { timeoutMs: 60_000 });
    const takeoverMs = performance.now() - abandonedAt;
    const taken = await read();
    expect(taken.holderIdentity).toBe(c.id);
    expect(ms(taken.acquireTime) - ms(lastRenew.renewTime)).toBeGreaterThanOrEqual(timing.leaseDurationMs);
    console.log(
      `leadership: takeover after abandon took ${Math.round(takeoverMs)} ms (lease duration ${timing.leaseDurationMs} ms)`,
    );

    expect(overlaps([a, b, c])).toEqual([]);
    await c.leadership.stop();
    expect((await read()).holderIdentity).toBeUndefined();
  });
});
