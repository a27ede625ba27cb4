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
  await c.createGroup('ha', {
    v4pools: [
      { pool: '198.51.100.0/24', subnet: '198.51.100.0/24' },
      { pool: '203.0.113.0/24', subnet: '203.0.113.0/24' },
    ],
  });
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
      return list.length === count &&
        list.every((s) => ingressIps(s).length === 1 && allocatedCondition(s)?.reason === 'Allocated')
        ? list
        : undefined;
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
    expect(
      leader.logs.filter((l) => l.event === 'leadership-released' || l.event === 'stopped').map((l) => l.event),
    ).toEqual(['leadership-released', 'stopped']);
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

  // An unhandled rejection takes the same path; the policy's unit and real-process tests are in k8s-watch.
  it('an exception nothing caught in the leader: one fatal line, the Lease released, exit 70; the standby takes over at once', async () => {
    const c = await haCluster('ha-crash');
    const trigger = join(mkdtempSync(join(tmpdir(), 'purelb-fault-')), 'fire');
    // The first replica, which leads (it starts alone), carries the fault; creating the file fires it.
    const a = t.spawn('crash-a', { install: c.install, nodeArgs: ['--import', faultImport(trigger)] });
    await a.waitForLog((l) => l.event === 'allocating', t.budget());
    const b = t.spawn('crash-b', { install: c.install });
    expect(await readyz(b)).toContain('standby');
    writeFileSync(trigger, 'throw');

    await t.waitFor(
      `${a.identity ?? 'the allocator'} to exit`,
      () => a.child.exitCode !== null || a.child.signalCode !== null,
    );
    const exit = await a.exited;
    expect(exit).toEqual({ code: 70, signal: null });
    const fatal = a.logs.filter((l) => l.level === 'fatal');
    expect(fatal.map((l) => l.event)).toEqual(['uncaught-exception']);
    expect(JSON.stringify(fatal[0]?.['err'])).toContain('injected fault');
    // The Lease was released before the exit, not left to expire; the standby took it.
    const events = a.logs.map((l) => l.event);
    expect(events.indexOf('leadership-released')).toBeGreaterThan(events.indexOf(fatal[0]?.event));
    await b.waitForLog((l) => l.event === 'allocating', t.budget());
    expect(await leaseHolder(c)).toBe(b.identity);
    await c.createService('after-crash', { annotations });
    await c.waitForAllocated('after-crash');
  });
});

/** What a Service shows that a replica decides: addresses, our annotations, the condition. */
async function shown(c: TestCluster, name: string): Promise<unknown> {
  const svc = await c.getService(name);
  const condition = allocatedCondition(svc);
  return {
    ingress: ingressIps(svc),
    allocatedFrom: svc?.metadata?.annotations?.['purelb.io/allocated-from'],
    condition:
      condition === undefined
        ? undefined
        : { status: condition.status, reason: condition.reason, message: condition.message },
  };
}

/** Hands over to the standby (SIGTERM), waits until it has reconciled a new Service, and returns it. */
async function handOver(
  c: TestCluster,
  pair: [AllocatorProcess, AllocatorProcess],
  probe: { readonly group: string },
): Promise<AllocatorProcess> {
  const [leader, standby] = pair;
  expect(await leader.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  await standby.waitForLog((l) => l.event === 'allocating', t.budget());
  await c.createService('probe', { annotations: { 'purelb.io/service-group': probe.group } });
  await c.waitForAllocated('probe');
  return standby;
}

const writesFor = (p: AllocatorProcess, c: TestCluster, name: string): LogLine[] =>
  writesIn(p.logs).filter((l) => l.key === `${c.ns}/${name}`);

describe('the same cluster state gives the same result on every replica', () => {
  it('after pool edits and a deleted group, a new leader shows every Service exactly as the old one did', async () => {
    const c = await t.fresh('same-state');
    const v4 = (range: string, subnet: string) => ({ v4pools: [{ pool: range, subnet }] });
    await c.createGroup('default', v4('192.0.2.0/24', '192.0.2.0/24'));
    await c.createGroup('overlap', v4('192.0.2.248/29', '192.0.2.0/24'));
    await c.createGroup('virtual', v4('198.51.100.16/28', '198.51.100.0/24'));
    await c.createGroup('a', v4('203.0.113.1-203.0.113.10', '203.0.113.0/24'));
    const pair = await twoReplicas(c, 'same');
    await c.waitForGroup(
      'overlap',
      'Overlap',
      (g) => g.status?.conditions?.some((x) => x.type === 'Ready' && x.reason === 'Overlap') === true,
    );
    // Pinned by spec.loadBalancerIP in `virtual`; pinned by annotation in `default`, inside `overlap` too; named `a`.
    await c.createService('pinned-shrunk', { loadBalancerIP: '198.51.100.20' });
    await c.createService('pinned-moved', { annotations: { 'purelb.io/addresses': '192.0.2.250' } });
    await c.createService('named', { annotations: { 'purelb.io/service-group': 'a' } });
    const from = async (name: string) =>
      (await c.waitForAllocated(name)).metadata?.annotations?.['purelb.io/allocated-from'];
    expect([await from('pinned-shrunk'), await from('pinned-moved'), await from('named')]).toEqual([
      'virtual',
      'default',
      'a',
    ]);
    expect(ingressIps(await c.getService('named'))).toEqual(['203.0.113.1']);

    // `virtual` shrinks away from its Service's address; `default` is deleted (so `overlap` becomes
    // valid and holds the pinned address); `a` shrinks and `b` now covers its Service's address.
    await c.patchGroupPools('virtual', v4('198.51.100.16-198.51.100.19', '198.51.100.0/24'));
    await c.deleteGroup('default');
    await c.patchGroupPools('a', v4('203.0.113.5-203.0.113.10', '203.0.113.0/24'));
    await c.createGroup('b', v4('203.0.113.1-203.0.113.4', '203.0.113.0/24'));
    await c.waitForReason('pinned-shrunk', 'AddressOutsidePool');
    await c.waitForReason('named', 'AddressOutsidePool');
    await c.waitFor(
      'pinned-moved to be counted in overlap',
      async () =>
        (await c.getService('pinned-moved'))?.metadata?.annotations?.['purelb.io/allocated-from'] === 'overlap',
    );
    const before = {
      shrunk: await shown(c, 'pinned-shrunk'),
      moved: await shown(c, 'pinned-moved'),
      named: await shown(c, 'named'),
    };
    expect(before).toEqual({
      // keeps naming the group that held its address
      shrunk: {
        ingress: ['198.51.100.20'],
        allocatedFrom: 'virtual',
        condition: {
          status: 'False',
          reason: 'AddressOutsidePool',
          message:
            '198.51.100.20 lies outside every pool of service group "virtual"; the address is kept until the Service is changed or deleted',
        },
      },
      // its address now lies in `overlap`: counted there
      moved: {
        ingress: ['192.0.2.250'],
        allocatedFrom: 'overlap',
        condition: {
          status: 'True',
          reason: 'Allocated',
          message: 'Allocated 192.0.2.250 from service group "overlap"',
        },
      },
      // names its group: not moved into `b`
      named: {
        ingress: ['203.0.113.1'],
        allocatedFrom: 'a',
        condition: {
          status: 'False',
          reason: 'AddressOutsidePool',
          message:
            '203.0.113.1 lies outside every pool of service group "a"; the address is kept until the Service is changed or deleted',
        },
      },
    });
    const assigned = await c.waitFor('the AddressAssigned Event of the move', async () => {
      const all = (await c.listEvents('pinned-moved')).filter((e) => e.reason === 'AddressAssigned');
      return all.length === 2 ? all : undefined;
    });
    expect(assigned.map((e) => e.message)).toContain('Assigned 192.0.2.250 from group overlap (was group default)');
    await c.waitForGroup(
      'overlap',
      'Ready, counting the pinned address',
      (g) =>
        g.status?.v4?.allocated === '1' &&
        g.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') === true,
    );

    const next = await handOver(c, pair, { group: 'b' });
    // `b` hands out its lowest free address, not the one `named` holds.
    expect(ingressIps(await c.getService('probe'))).toEqual(['203.0.113.2']);
    expect({
      shrunk: await shown(c, 'pinned-shrunk'),
      moved: await shown(c, 'pinned-moved'),
      named: await shown(c, 'named'),
    }).toEqual(before);
    for (const name of ['pinned-shrunk', 'pinned-moved', 'named']) expect(writesFor(next, c, name), name).toEqual([]);
    expect((await c.listEvents('pinned-moved')).filter((e) => e.reason === 'AddressAssigned')).toHaveLength(2);
  });
});
