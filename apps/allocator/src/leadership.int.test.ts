// Two replicas (SPEC §1, §7): one leader writes, the standby keeps its caches warm and writes nothing,
// takes over after the Lease expires (SIGKILL) or at once (SIGTERM), and a paused, deposed leader
// writes nothing when it wakes up.
import { startControlPlane } from '@purelb/test-control-plane';
import type { ControlPlane, KubeClient } from '@purelb/test-control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllocatorProcess, LogLine } from './testing/allocator-process.ts';
import { createTestApi, spawnAllocator, allocatedCondition, createGroup, createNamespace, createService, ingressIps, listServices, waitFor, waitForAllocated } from './testing/fixtures.ts';

let controlPlane: ControlPlane;
let api: KubeClient;
let install: string;
let ns: string;
const running: AllocatorProcess[] = [];
const BURST = 300;
const annotations = { 'purelb.io/service-group': 'ha' };

function start(identity: string): AllocatorProcess {
  const p = spawnAllocator({ kubeconfigPath: controlPlane.kubeconfigPath, namespace: install, identity });
  running.push(p);
  return p;
}

async function leaseHolder(): Promise<string | undefined> {
  const r = await api.get(`/apis/coordination.k8s.io/v1/namespaces/${install}/leases/purelb-allocator`);
  return r.status === 200 ? (r.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity : undefined;
}

/** Waits until one of the replicas allocates; returns [leader, standby]. */
async function leaderOf(a: AllocatorProcess, b: AllocatorProcess): Promise<[AllocatorProcess, AllocatorProcess]> {
  const holder = await waitFor('a lease holder that allocates', async () => {
    const h = await leaseHolder();
    const p = h === a.identity ? a : h === b.identity ? b : undefined;
    return p?.logs.some((l) => l.event === 'allocating') === true ? h : undefined;
  });
  return holder === a.identity ? [a, b] : [b, a];
}

const writesIn = (logs: readonly LogLine[]): LogLine[] => logs.filter((l) => l.event === 'written');

async function readyz(p: AllocatorProcess): Promise<string> {
  const port = await p.port();
  return waitFor(`readyz of ${p.identity}`, async () => {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    return r.status === 200 ? r.text() : undefined;
  });
}

async function allAllocated(count: number): Promise<string[]> {
  const services = await waitFor(
    `${count} Services allocated`,
    async () => {
      const list = await listServices(api, ns);
      return list.length === count && list.every((s) => ingressIps(s).length === 1 && allocatedCondition(s)?.reason === 'Allocated') ? list : undefined;
    },
    180_000,
    1000,
  );
  return services.flatMap((s) => ingressIps(s));
}

beforeAll(async () => {
  controlPlane = await startControlPlane();
  api = await createTestApi(controlPlane.kubeconfigPath);
  install = await createNamespace(api, 'ha-install');
  ns = await createNamespace(api, 'ha');
  await createGroup(api, install, 'ha', { v4pools: [{ pool: '198.51.100.0/24', subnet: '198.51.100.0/24' }, { pool: '203.0.113.0/24', subnet: '203.0.113.0/24' }] });
});

afterAll(async () => {
  for (const p of running) {
    p.child.kill('SIGCONT');
    await p.stop('SIGKILL');
  }
  api.close();
  await controlPlane.stop();
});

describe('two replicas', () => {
  it(`one leader during a burst of ${BURST}; the leader is killed midway; the standby takes over: all allocated, none twice`, async () => {
    const a = start('ha-a');
    const b = start('ha-b');
    const [leader, standby] = await leaderOf(a, b);
    expect(await readyz(leader)).toContain('leader');
    expect(await readyz(standby)).toContain('standby');

    let next = 0;
    const creating = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < BURST) await createService(api, ns, `svc-${next++}`, { annotations });
      }),
    );
    await leader.waitForLog((l) => l.event === 'written' && writesIn(leader.logs).length >= 60, 120_000);
    await leader.stop('SIGKILL');
    const shownAtKill = new Map((await listServices(api, ns)).map((s) => [s.metadata?.name ?? '', ingressIps(s)]));
    await creating;

    const addresses = await allAllocated(BURST);
    expect(new Set(addresses).size).toBe(BURST);
    const after = new Map((await listServices(api, ns)).map((s) => [s.metadata?.name ?? '', ingressIps(s)]));
    for (const [name, ips] of shownAtKill) if (ips.length > 0) expect(after.get(name), name).toEqual(ips);

    // The standby wrote nothing before it took the lead.
    const acquiredAt = standby.logs.findIndex((l) => l.event === 'leadership-acquired');
    expect(acquiredAt).toBeGreaterThan(-1);
    expect(writesIn(standby.logs.slice(0, acquiredAt))).toEqual([]);
    expect(await leaseHolder()).toBe(standby.identity);
  });

  it('SIGTERM releases the Lease: a standby takes over and allocates, the stopped one exits 0', async () => {
    const current = running.find((p) => p.logs.some((l) => l.event === 'leadership-acquired') && p.child.exitCode === null && p.child.signalCode === null);
    if (current === undefined) throw new Error('no running leader');
    const fresh = start('ha-c');
    expect(await readyz(fresh)).toContain('standby');
    const exit = await current.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(current.logs.some((l) => l.event === 'stopped')).toBe(true);
    await fresh.waitForLog((l) => l.event === 'allocating');
    expect(await leaseHolder()).toBe('ha-c');
    await createService(api, ns, 'after-handover', { annotations });
    await waitForAllocated(api, ns, 'after-handover');
  });

  it('a paused leader that lost the Lease writes nothing when it resumes', async () => {
    const leader = running.find((p) => p.identity === 'ha-c');
    if (leader === undefined) throw new Error('ha-c is not running');
    const standby = start('ha-d');
    expect(await readyz(standby)).toContain('standby');
    leader.child.kill('SIGSTOP');
    for (let i = 0; i < 5; i++) await createService(api, ns, `while-paused-${i}`, { annotations });
    await standby.waitForLog((l) => l.event === 'allocating');
    for (let i = 0; i < 5; i++) await waitForAllocated(api, ns, `while-paused-${i}`);
    const resumedAt = leader.logs.length;
    leader.child.kill('SIGCONT');
    await leader.waitForLog((l) => l.event === 'leadership-lost');
    // More work arrives while the old leader is awake again: only the new one writes.
    await createService(api, ns, 'after-resume', { annotations });
    await waitForAllocated(api, ns, 'after-resume');
    await standby.waitForLog((l) => l.event === 'written' && l.key === `${ns}/after-resume`);
    expect(writesIn(leader.logs.slice(resumedAt))).toEqual([]);
    const addresses = await allAllocated(BURST + 7);
    expect(new Set(addresses).size).toBe(BURST + 7);
  });
});
