// Two allocator replicas in process, on one in-memory API server and Lease store, on a hand-driven
// clock: who writes, and when leadership moves. The integration tests do the same with processes.
import { afterEach, describe, expect, it } from 'vitest';
import { startAllocator } from './allocator.ts';
import type { Allocator } from './allocator.ts';
import { LEASE_NAME } from './options.ts';
import type { AllocatorOptions } from './options.ts';
import { createMetrics } from './metrics.ts';
import type { AllocatorMetrics } from './metrics.ts';
import { createInMemoryCluster, createMemoryLogger, INSTALL_NAMESPACE } from './testing/in-memory-cluster.ts';
import type { InMemoryCluster, LoggedEvent } from './testing/in-memory-cluster.ts';

const NS = 'apps';
const TIMING = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };

interface Replica {
  readonly name: string;
  readonly allocator: Allocator;
  readonly logs: LoggedEvent[];
  readonly metrics: AllocatorMetrics;
}

const running: { c: InMemoryCluster; allocator: Allocator }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await stop(r.c, r.allocator);
});

/** Stops a replica while time goes on (a pending reconcile may be waiting on the clock). */
async function stop(c: InMemoryCluster, allocator: Allocator): Promise<void> {
  const state = { done: false };
  const stopping = allocator.stop().then(() => {
    state.done = true;
  });
  while (!state.done) await c.clock.advanceAsync(50);
  await stopping;
}

function startReplica(c: InMemoryCluster, name: string): Replica {
  const options: AllocatorOptions = {
    kubeconfig: { kind: 'in-cluster' },
    namespace: INSTALL_NAMESPACE,
    defaultClass: true,
    identity: name,
    ...TIMING,
    listen: { host: '127.0.0.1', port: 0 },
    logLevel: 'info',
  };
  const logger = createMemoryLogger();
  const metrics = createMetrics({ processMetrics: false });
  const allocator = startAllocator({
    cluster: c.clusterFor(name),
    options,
    logger,
    metrics,
    clock: c.clock,
    now: () => c.clock.now(),
    random: () => 0.5,
  });
  running.push({ c, allocator });
  return { name, allocator, logs: logger.lines, metrics };
}

const writesOf = (c: InMemoryCluster, replica: Replica): number[] =>
  c.writesBy.filter((w) => w.replica === replica.name).map((w) => w.at);
const leaseHolder = (c: InMemoryCluster): string | undefined =>
  c.leases.read({ namespace: INSTALL_NAMESPACE, name: LEASE_NAME })?.holderIdentity;
const allShown = (c: InMemoryCluster, count: number): string[] =>
  Array.from({ length: count }, (_, i) => c.shows(NS, `svc-${i}`));

async function metric(r: Replica, name: string): Promise<number> {
  const m = (await r.metrics.registry.getMetricsAsJSON()).find((x) => x.name === name);
  return m?.values[0]?.value ?? NaN;
}

/** Two replicas; returns [leader, standby] once one of them allocates. */
async function twoReplicas(c: InMemoryCluster): Promise<[Replica, Replica]> {
  const a = startReplica(c, 'replica-a');
  const b = startReplica(c, 'replica-b');
  await c.run(2000);
  const leader = [a, b].find((r) => r.logs.some((l) => l.event === 'allocating'));
  if (leader === undefined) throw new Error('no replica allocates');
  return leader === a ? [a, b] : [b, a];
}

describe('two allocator replicas', () => {
  it('one leads and writes, the other stands by, ready, and writes nothing', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.0/28']);
    for (let i = 0; i < 5; i++) c.putService(NS, `svc-${i}`);
    const [leader, standby] = await twoReplicas(c);
    await c.run(2000);
    expect(allShown(c, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `192.0.2.${i} Allocated`));
    expect(leader.allocator.readiness()).toEqual({ ready: true, detail: 'ready: leader' });
    expect(standby.allocator.readiness()).toEqual({ ready: true, detail: `ready: standby (leader ${leader.name})` });
    expect(writesOf(c, standby)).toEqual([]);
    expect([await metric(leader, 'purelb_allocator_leader'), await metric(standby, 'purelb_allocator_leader')]).toEqual(
      [1, 0],
    );
  });

  it('a leader that cannot renew stops writing within its renew deadline, before the standby may start, which then finishes the batch', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.0/24']);
    const [leader, standby] = await twoReplicas(c);
    // Every write takes 100 ms, so that a burst of 120 Services spans the loss of the Lease.
    c.api.setWriteRule(
      () =>
        new Promise((resolve) => {
          c.clock.setTimer(100, () => {
            resolve(undefined);
          });
        }),
    );
    for (let i = 0; i < 120; i++) c.putService(NS, `svc-${i}`);
    await c.run(500);
    const cutAt = c.clock.now();
    c.leases.setFault(leader.name, 'unavailable');
    await c.run(30_000);

    expect(leader.logs.some((l) => l.event === 'leadership-lost')).toBe(true);
    expect(await metric(leader, 'purelb_allocator_lease_renew_failures_total')).toBeGreaterThan(0);
    expect(await metric(leader, 'purelb_allocator_leader')).toBe(0);
    expect(leaseHolder(c)).toBe(standby.name);
    const byOld = writesOf(c, leader);
    const byNew = writesOf(c, standby);
    expect(byOld.filter((at) => at > cutAt).length).toBeGreaterThan(0);
    expect(Math.max(...byOld)).toBeLessThan(cutAt + TIMING.renewDeadlineMs);
    expect(Math.max(...byOld)).toBeLessThan(Math.min(...byNew));
    const shown = allShown(c, 120);
    expect(shown.every((s) => s.endsWith(' Allocated'))).toBe(true);
    expect(new Set(shown).size).toBe(120);
  });

  it('stopping the leader releases the Lease: the standby takes over without waiting for it to expire', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.0/28']);
    const [leader, standby] = await twoReplicas(c);
    await stop(c, leader.allocator);
    const stoppedAt = c.clock.now();
    c.putService(NS, 'svc-0');
    await c.run(1000);
    expect(c.shows(NS, 'svc-0')).toBe('192.0.2.0 Allocated');
    expect(leaseHolder(c)).toBe(standby.name);
    expect(c.clock.now() - stoppedAt).toBeLessThan(TIMING.leaseDurationMs);
    expect(writesOf(c, leader).filter((at) => at >= stoppedAt)).toEqual([]);
    expect(leader.logs.filter((l) => l.event === 'leadership-released')).toHaveLength(1);
  });

  it('the pending gauge and the group gauges come from the leader state: a new leader shows what is pending, a standby nothing', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.0/31']);
    for (let i = 0; i < 4; i++) c.putService(NS, `svc-${i}`);
    c.putService(NS, 'lost', { annotations: { 'purelb.io/service-group': 'nowhere' } });
    const [leader, standby] = await twoReplicas(c);
    await c.run(2000);
    const pendingOf = async (r: Replica): Promise<Record<string, number>> => {
      const m = (await r.metrics.registry.getMetricsAsJSON()).find(
        (x) => x.name === 'purelb_allocator_services_pending',
      );
      return Object.fromEntries(
        (m?.values ?? []).filter((v) => v.value > 0).map((v) => [String(v.labels.reason), v.value]),
      );
    };
    const seriesOf = async (r: Replica, name: string): Promise<number> =>
      (await r.metrics.registry.getMetricsAsJSON()).find((x) => x.name === name)?.values.length ?? 0;
    expect(await pendingOf(leader)).toEqual({ PoolExhausted: 2, GroupNotFound: 1 });
    // Every reason is exported by the leader (zeros included), none by the standby.
    expect(await seriesOf(leader, 'purelb_allocator_services_pending')).toBe(9);
    expect(await seriesOf(standby, 'purelb_allocator_services_pending')).toBe(0);
    expect(await metric(leader, 'purelb_allocator_group_ready')).toBe(0);
    expect(await metric(leader, 'purelb_allocator_pool_addresses_in_use')).toBe(2);
    expect(await seriesOf(standby, 'purelb_allocator_group_ready')).toBe(0);

    // The new leader never saw these Services become pending: it counts them from what it decides now.
    await stop(c, leader.allocator);
    await c.run(2000);
    expect(await pendingOf(standby)).toEqual({ PoolExhausted: 2, GroupNotFound: 1 });
    expect(await seriesOf(leader, 'purelb_allocator_services_pending')).toBe(0);
    expect(await seriesOf(leader, 'purelb_allocator_pool_capacity')).toBe(0);

    // A freed address goes to a pending Service, and the gauge follows.
    c.api.remove(`/api/v1/namespaces/${NS}/services/svc-0`);
    await c.run(2000);
    expect(await pendingOf(standby)).toEqual({ PoolExhausted: 1, GroupNotFound: 1 });
  });
});
