// Restart safety (SPEC §4.7, §7): a SIGKILL during a burst changes and duplicates nothing; existing
// allocations are imported before anything new is given out, collisions are reported, not reassigned.
import { startControlPlane, expectOk } from '@purelb/test-control-plane';
import type { ControlPlane, KubeClient } from '@purelb/test-control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceObject } from './kube-objects.ts';
import type { AllocatorProcess } from './testing/allocator-process.ts';
import {
  createTestApi,
  spawnAllocator,
  allocatedCondition,
  createGroup,
  createNamespace,
  createService,
  deleteService,
  getService,
  ingressIps,
  listServices,
  servicesPath,
  waitFor,
  waitForAllocated,
  waitForEvent,
  waitForReason,
} from './testing/fixtures.ts';

let controlPlane: ControlPlane;
let api: KubeClient;
let kubeconfigPath: string;
let install: string;
let ns: string;
const running: AllocatorProcess[] = [];
const BURST = 500;

function start(identity: string): AllocatorProcess {
  const p = spawnAllocator({ kubeconfigPath, namespace: install, identity });
  running.push(p);
  return p;
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

beforeAll(async () => {
  // A private control plane: allocators watch Services cluster-wide, so the burst's Services stay out of
  // the shared one, where later files' allocators would import them.
  controlPlane = await startControlPlane();
  kubeconfigPath = controlPlane.kubeconfigPath;
  api = await createTestApi(kubeconfigPath);
  install = await createNamespace(api, 'restart-install');
  ns = await createNamespace(api, 'restart');
  await createGroup(api, install, 'burst', {
    v4pools: [
      { pool: '198.51.100.0/24', subnet: '198.51.100.0/24' },
      { pool: '203.0.113.0/24', subnet: '203.0.113.0/24' },
    ],
  });
});

afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  api.close();
  await controlPlane.stop();
});

const ingressByName = (services: readonly ServiceObject[]): Map<string, string[]> =>
  new Map(services.map((s) => [s.metadata?.name ?? '', ingressIps(s)]));

describe('restart safety', () => {
  it(`SIGKILL while ${BURST} Services are being created: after a restart every Service is allocated, none changed, none duplicated`, async () => {
    const first = start('restart-1');
    await first.waitForLog((l) => l.event === 'allocating');
    const names = Array.from({ length: BURST }, (_, i) => `burst-${String(i).padStart(3, '0')}`);
    const creating = inParallel(names, 8, (name) => createService(api, ns, name, { annotations: { 'purelb.io/service-group': 'burst' } }));
    await first.waitForLog((l) => l.event === 'address-assigned' && typeof l.key === 'string' && l.key.endsWith('burst-100'), 120_000);
    const killed = await first.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    await creating;

    const before = ingressByName(await listServices(api, ns));
    const allocatedBefore = [...before.values()].filter((ips) => ips.length > 0).length;
    expect(allocatedBefore).toBeGreaterThan(0);
    expect(allocatedBefore).toBeLessThan(BURST);

    const second = start('restart-2');
    await second.waitForLog((l) => l.event === 'allocations-imported');
    const after = await waitFor(
      `all ${BURST} Services to be allocated`,
      async () => {
        const services = await listServices(api, ns);
        return services.length === BURST && services.every((s) => ingressIps(s).length === 1 && allocatedCondition(s)?.reason === 'Allocated') ? services : undefined;
      },
      180_000,
      1000,
    );
    const now = ingressByName(after);
    for (const [name, ips] of before) if (ips.length > 0) expect(now.get(name), name).toEqual(ips);
    const all = [...now.values()].flat();
    expect(new Set(all).size).toBe(BURST);
    const imported = second.logs.find((l) => l.event === 'allocations-imported');
    expect(imported?.issues).toBe(0);
    expect(imported?.imported).toBeGreaterThanOrEqual(allocatedBefore);
    await second.stop();
  });

  it('imports existing allocations first: a collision is reported on the younger Service and never reassigned; an address outside every pool is reported', async () => {
    await createGroup(api, install, 'imported', { v4pools: [{ pool: '192.0.2.100-192.0.2.101', subnet: '192.0.2.0/24' }] });
    const annotations = { 'purelb.io/service-group': 'imported', 'purelb.io/allocated-by': 'PureLB', 'purelb.io/allocated-from': 'imported', 'purelb.io/pool-type': 'local' };
    // Written while no allocator runs: two Services claim one address, a third one outside every pool.
    const claims: [string, string][] = [
      ['a-older', '192.0.2.100'],
      ['b-younger', '192.0.2.100'],
      ['c-outside', '192.0.2.250'],
    ];
    for (const [name, ip] of claims) {
      await createService(api, ns, name, { annotations });
      expectOk(
        await api.patch(`${servicesPath(ns)}/${name}/status`, { status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }),
        `status of ${name}`,
      );
    }
    await createService(api, ns, 'd-new', { annotations: { 'purelb.io/service-group': 'imported' } });

    const third = start('restart-3');
    const older = await waitForAllocated(api, ns, 'a-older');
    expect(ingressIps(older)).toEqual(['192.0.2.100']);
    const younger = await waitForReason(api, ns, 'b-younger', 'AddressInUse');
    expect(ingressIps(younger)).toEqual(['192.0.2.100']);
    expect(allocatedCondition(younger)?.message).toContain('a-older');
    await waitForEvent(api, ns, 'b-younger', 'AddressInUse');
    const outside = await waitForReason(api, ns, 'c-outside', 'AddressOutsidePool');
    expect(ingressIps(outside)).toEqual(['192.0.2.250']);
    await waitForEvent(api, ns, 'c-outside', 'AddressOutsidePool');
    // The new Service gets the only free address, not one that is already claimed.
    expect(ingressIps(await waitForAllocated(api, ns, 'd-new'))).toEqual(['192.0.2.101']);

    // Once the older one goes, the younger keeps the address it shows.
    await deleteService(api, ns, 'a-older');
    const adopted = await waitForReason(api, ns, 'b-younger', 'Allocated');
    expect(ingressIps(adopted)).toEqual(['192.0.2.100']);
    expect(ingressIps(await getService(api, ns, 'c-outside'))).toEqual(['192.0.2.250']);
    const exit = await third.stop();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
