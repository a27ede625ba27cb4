// Two replicas (SPEC §1, §4, §7): one leader writes, the standby keeps its caches warm and writes nothing,
// takes over after the Lease expires (SIGKILL), at once (SIGTERM) or after a crash (ADR 0007), and a
// paused, deposed leader writes nothing when it wakes up; and a new leader reaches the very result the
// old one had, whatever history led there. Every test starts its own replicas in an
// install namespace of its own (its own Lease and group); they are killed and their Services deleted
// when it ends.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AllocatorProcess, LogLine } from './testing/allocator-process.ts';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, ingressIps } from './testing/fixtures.ts';
import type { TestCluster } from './testing/fixtures.ts';
import { faultImport } from './testing/inject-fault.ts';

const t = useAllocatorScene({ name: 'ha', controlPlane: 'private', allocator: 'none' });
const BURST = 300;
const annotations = { 'purelb.io/service-group': 'ha' };

/** A fresh install namespace with the group `ha`, and a Service namespace. */
async function haCluster(prefix: string): Promise<TestCluster> {
  const c = await t.fresh(prefix);
  await c.createGroup('ha', { v4pools: [{ pool: '198.51.100.0/24', subnet: '198.51.100.0/24' }, { pool: '203.0.113.0/24', subnet: '203.0.113.0/24' }] });
  return c;
}

async function leaseHolder(c: TestCluster): Promise<string | undefined> {
  const r = await c.api.get(`/apis/coordination.k8s.io/v1/namespaces/${c.install}/leases/purelb-allocator`);
  return r.status === 200 ? (r.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity : undefined;
}

/** Starts two replicas and waits until one of them allocates; returns [leader, standby]. */
async function twoReplicas(c: TestCluster, prefix: string): Promise<[AllocatorProcess, AllocatorProcess]> {
  const a = t.spawn(`${prefix}-a`, { install: c.install });
  const b = t.spawn(`${prefix}-b`, { install: c.install });
  const holder = await c.waitFor('a lease holder that allocates', async () => {
    const h = await leaseHolder(c);
    const p = h === a.identity ? a : h === b.identity ? b : undefined;
    return p?.logs.some((l) => l.event === 'allocating') === true ? h : undefined;
  });
  const [leader, standby] = holder === a.identity ? [a, b] : [b, a];
  expect(await readyz(leader)).toContain('leader');
  expect(await readyz(standby)).toContain('standby');
  return [leader, standby];
}

const writesIn = (logs: readonly LogLine[]): LogLine[] => logs.filter((l) => l.event === 'written');

async function readyz(p: AllocatorProcess): Promise<string> {
  const port = await p.port(t.budget());
  return t.waitFor(`readyz of ${p.identity ?? 'the allocator'}`, async () => {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    return r.status === 200 ? r.text() : undefined;
  });
}

async function allAllocated(c: TestCluster, count: number): Promise<string[]> {
  const services = await c.waitFor(
    `${count} Services allocated`,
    async () => {
      const list = await c.listServices();
      return list.length === count && list.every((s) => ingressIps(s).length === 1 && allocatedCondition(s)?.reason === 'Allocated') ? list : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 1000 },
  );
  return services.flatMap((s) => ingressIps(s));
}

describe('two replicas', () => {
  it(`one leader during a burst of ${BURST}; the leader is killed midway; the standby takes over: all allocated, none twice`, async () => {
    const c = await haCluster('ha-kill');
    const [leader, standby] = await twoReplicas(c, 'kill');

    let next = 0;
    const creating = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < BURST) await c.createService(`svc-${next++}`, { annotations });
      }),
    );
    await leader.waitForLog((l) => l.event === 'written' && writesIn(leader.logs).length >= 60, t.budget(120_000));
    await leader.stop('SIGKILL');
    const shownAtKill = new Map((await c.listServices()).map((s) => [s.metadata?.name ?? '', ingressIps(s)]));
    await creating;

    const addresses = await allAllocated(c, BURST);
    expect(new Set(addresses).size).toBe(BURST);
    const after = new Map((await c.listServices()).map((s) => [s.metadata?.name ?? '', ingressIps(s)]));
    for (const [name, ips] of shownAtKill) if (ips.length > 0) expect(after.get(name), name).toEqual(ips);

    // The standby wrote nothing before it took the lead.
    const acquiredAt = standby.logs.findIndex((l) => l.event === 'leadership-acquired');
    expect(acquiredAt).toBeGreaterThan(-1);
    expect(writesIn(standby.logs.slice(0, acquiredAt))).toEqual([]);
    expect(await leaseHolder(c)).toBe(standby.identity);
  }, 400_000);

  it('SIGTERM releases the Lease: the standby takes over and allocates, the stopped one exits 0', async () => {
    const c = await haCluster('ha-term');
    const [leader, standby] = await twoReplicas(c, 'term');
    const exit = await leader.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(leader.logs.filter((l) => l.event === 'leadership-released' || l.event === 'stopped').map((l) => l.event)).toEqual(['leadership-released', 'stopped']);
    await standby.waitForLog((l) => l.event === 'allocating', t.budget());
    expect(await leaseHolder(c)).toBe(standby.identity);
    await c.createService('after-handover', { annotations });
    await c.waitForAllocated('after-handover');
  });

  it('a paused leader that lost the Lease writes nothing when it resumes', async () => {
    const c = await haCluster('ha-pause');
    const [leader, standby] = await twoReplicas(c, 'pause');
    await c.createService('before-pause', { annotations });
    await c.waitForAllocated('before-pause');
    leader.child.kill('SIGSTOP');
    for (let i = 0; i < 5; i++) await c.createService(`while-paused-${i}`, { annotations });
    await standby.waitForLog((l) => l.event === 'allocating', t.budget());
    for (let i = 0; i < 5; i++) await c.waitForAllocated(`while-paused-${i}`);
    const resumedAt = leader.logs.length;
    leader.child.kill('SIGCONT');
    await leader.waitForLog((l) => l.event === 'leadership-lost', t.budget());
    // More work arrives while the old leader is awake again: only the new one writes.
    await c.createService('after-resume', { annotations });
    await c.waitForAllocated('after-resume');
    await standby.waitForLog((l) => l.event === 'written' && l.key === `${c.ns}/after-resume`, t.budget());
    expect(writesIn(leader.logs.slice(resumedAt))).toEqual([]);
    const addresses = await allAllocated(c, 7);
    expect(new Set(addresses).size).toBe(7);
  });

  it.each(['throw', 'reject'])(
    'a fault nothing caught (%s) in the leader: one fatal line, the Lease released, exit 70; the standby takes over at once',
    async (kind) => {
      const c = await haCluster(`ha-crash-${kind}`);
      const trigger = join(mkdtempSync(join(tmpdir(), 'purelb-fault-')), 'fire');
      // Both replicas carry the fault; only the file makes it fire, in whichever leads.
      const a = t.spawn(`crash-${kind}-a`, { install: c.install, nodeArgs: ['--import', faultImport(trigger)] });
      await a.waitForLog((l) => l.event === 'allocating', t.budget());
      const b = t.spawn(`crash-${kind}-b`, { install: c.install });
      expect(await readyz(b)).toContain('standby');
      writeFileSync(trigger, kind);

      await t.waitFor(`${a.identity ?? 'the allocator'} to exit`, () => a.child.exitCode !== null || a.child.signalCode !== null);
      const exit = await a.exited;
      expect(exit).toEqual({ code: 70, signal: null });
      const fatal = a.logs.filter((l) => l.level === 60);
      expect(fatal.map((l) => l.event)).toEqual([kind === 'throw' ? 'uncaught-exception' : 'unhandled-rejection']);
      expect(JSON.stringify(fatal[0]?.['err'])).toContain('injected fault');
      // The Lease was released before the exit, not left to expire; the standby took it.
      const events = a.logs.map((l) => l.event);
      expect(events.indexOf('leadership-released')).toBeGreaterThan(events.indexOf(fatal[0]?.event));
      await b.waitForLog((l) => l.event === 'allocating', t.budget());
      expect(await leaseHolder(c)).toBe(b.identity);
      await c.createService('after-crash', { annotations });
      await c.waitForAllocated('after-crash');
    },
  );
});

/** What a Service shows that a replica decides: addresses, our annotations, the condition. */
async function shown(c: TestCluster, name: string): Promise<unknown> {
  const svc = await c.getService(name);
  const condition = allocatedCondition(svc);
  return {
    ingress: ingressIps(svc),
    allocatedFrom: svc?.metadata?.annotations?.['purelb.io/allocated-from'],
    condition: condition === undefined ? undefined : { status: condition.status, reason: condition.reason, message: condition.message },
  };
}

/** Hands over to the standby (SIGTERM), waits until it has reconciled a new Service, and returns it. */
async function handOver(c: TestCluster, pair: [AllocatorProcess, AllocatorProcess], probe: { readonly group: string }): Promise<AllocatorProcess> {
  const [leader, standby] = pair;
  expect(await leader.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  await standby.waitForLog((l) => l.event === 'allocating', t.budget());
  await c.createService('probe', { annotations: { 'purelb.io/service-group': probe.group } });
  await c.waitForAllocated('probe');
  return standby;
}

const writesFor = (p: AllocatorProcess, c: TestCluster, name: string): LogLine[] => writesIn(p.logs).filter((l) => l.key === `${c.ns}/${name}`);

describe('the same cluster state gives the same result on every replica', () => {
  it('a Service pinned by spec.loadBalancerIP keeps naming the group that held its address after that group shrank, before and after a leader change', async () => {
    const c = await t.fresh('pin-shrunk');
    await c.createGroup('default', { v4pools: [{ pool: '192.0.2.0/28', subnet: '192.0.2.0/24' }] });
    await c.createGroup('virtual', { v4pools: [{ pool: '198.51.100.16/28', subnet: '198.51.100.0/24' }] });
    const pair = await twoReplicas(c, 'shrunk');
    await c.createService('pinned', { loadBalancerIP: '198.51.100.20' });
    const allocated = await c.waitForAllocated('pinned');
    expect(allocated.metadata?.annotations?.['purelb.io/allocated-from']).toBe('virtual');

    await c.patchGroupPools('virtual', { v4pools: [{ pool: '198.51.100.16-198.51.100.19', subnet: '198.51.100.0/24' }] });
    await c.waitForReason('pinned', 'AddressOutsidePool');
    const before = await shown(c, 'pinned');
    expect(before).toEqual({
      ingress: ['198.51.100.20'],
      allocatedFrom: 'virtual',
      condition: {
        status: 'False',
        reason: 'AddressOutsidePool',
        message: '198.51.100.20 lies outside every pool of service group "virtual"; the address is kept until the Service is changed or deleted',
      },
    });

    const next = await handOver(c, pair, { group: 'default' });
    expect(await shown(c, 'pinned')).toEqual(before);
    expect(writesFor(next, c, 'pinned')).toEqual([]);
  });

  it('a pinned address in a group that was deleted moves to the group whose pool now holds it, and a new leader agrees', async () => {
    const c = await t.fresh('pin-moved');
    await c.createGroup('default', { v4pools: [{ pool: '192.0.2.0/24', subnet: '192.0.2.0/24' }] });
    await c.createGroup('overlap', { v4pools: [{ pool: '192.0.2.248/29', subnet: '192.0.2.0/24' }] });
    const pair = await twoReplicas(c, 'moved');
    await c.waitForGroup('overlap', 'Overlap', (g) => g.status?.conditions?.some((x) => x.type === 'Ready' && x.reason === 'Overlap') === true);
    await c.createService('pinned', { annotations: { 'purelb.io/addresses': '192.0.2.250' } });
    expect((await c.waitForAllocated('pinned')).metadata?.annotations?.['purelb.io/allocated-from']).toBe('default');

    await c.deleteGroup('default');
    await c.waitFor('pinned to be counted in overlap', async () => (await c.getService('pinned'))?.metadata?.annotations?.['purelb.io/allocated-from'] === 'overlap');
    const before = await shown(c, 'pinned');
    expect(before).toEqual({
      ingress: ['192.0.2.250'],
      allocatedFrom: 'overlap',
      condition: { status: 'True', reason: 'Allocated', message: 'Allocated 192.0.2.250 from service group "overlap"' },
    });
    const events = await c.waitFor('the AddressAssigned Event of the move', async () => {
      const all = (await c.listEvents('pinned')).filter((e) => e.reason === 'AddressAssigned');
      return all.length === 2 ? all : undefined;
    });
    expect(events.map((e) => e.message)).toContain('Assigned 192.0.2.250 from group overlap (was group default)');
    await c.waitForGroup('overlap', 'Ready, counting the pinned address', (g) => g.status?.v4?.allocated === '1' && g.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') === true);

    const next = await handOver(c, pair, { group: 'overlap' });
    expect(await shown(c, 'pinned')).toEqual(before);
    expect(writesFor(next, c, 'pinned')).toEqual([]);
    expect((await c.listEvents('pinned')).filter((e) => e.reason === 'AddressAssigned')).toHaveLength(2);
  });

  it('a Service that names its group is not moved into the group whose pool now holds its address, by a new leader either', async () => {
    const c = await t.fresh('named');
    const pools = (range: string) => ({ v4pools: [{ pool: range, subnet: '203.0.113.0/24' }] });
    await c.createGroup('a', pools('203.0.113.1-203.0.113.10'));
    const pair = await twoReplicas(c, 'named');
    await c.createService('named', { annotations: { 'purelb.io/service-group': 'a' } });
    expect(ingressIps(await c.waitForAllocated('named'))).toEqual(['203.0.113.1']);
    await c.patchGroupPools('a', pools('203.0.113.5-203.0.113.10'));
    await c.createGroup('b', pools('203.0.113.1-203.0.113.4'));
    await c.waitForReason('named', 'AddressOutsidePool');
    const before = await shown(c, 'named');
    expect(before).toMatchObject({ ingress: ['203.0.113.1'], allocatedFrom: 'a', condition: { reason: 'AddressOutsidePool' } });

    await handOver(c, pair, { group: 'b' });
    expect(ingressIps(await c.getService('probe'))).toEqual(['203.0.113.2']);
    expect(await shown(c, 'named')).toEqual(before);
  });
});
