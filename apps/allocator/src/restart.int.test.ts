// Restart safety (SPEC §4.7, §7): a SIGKILL during a burst changes and duplicates nothing; existing
// allocations are imported before anything new is given out, collisions are reported, not reassigned.
import { expectOk } from '@purelb/test-control-plane';
import { describe, expect, it } from 'vitest';
import type { ServiceObject } from './kube-objects.ts';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, ingressIps, servicesPath } from './testing/fixtures.ts';

// A private control plane: allocators watch Services cluster-wide, so the burst's Services stay out of
// the shared one, where later files' allocators would import them.
const t = useAllocatorScene({
  name: 'restart',
  controlPlane: 'private',
  allocator: 'none',
  groups: {
    burst: {
      v4pools: [
        { pool: '198.51.100.0/24', subnet: '198.51.100.0/24' },
        { pool: '203.0.113.0/24', subnet: '203.0.113.0/24' },
      ],
    },
  },
});
const BURST = 500;

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

const ingressByName = (services: readonly ServiceObject[]): Map<string, string[]> =>
  new Map(services.map((s) => [s.metadata?.name ?? '', ingressIps(s)]));

describe('restart safety', () => {
  it(`SIGKILL while ${BURST} Services are being created: after a restart every Service is allocated, none changed, none duplicated`, async () => {
    const first = t.spawn('restart-1');
    await first.waitForLog((l) => l.event === 'allocating', t.budget());
    const names = Array.from({ length: BURST }, (_, i) => `burst-${String(i).padStart(3, '0')}`);
    const creating = inParallel(names, 8, (name) =>
      t.createService(name, { annotations: { 'purelb.io/service-group': 'burst' } }),
    );
    await first.waitForLog(
      (l) => l.event === 'address-assigned' && typeof l.key === 'string' && l.key.endsWith('burst-100'),
      t.budget(120_000),
    );
    const killed = await first.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    await creating;

    const before = ingressByName(await t.listServices());
    const allocatedBefore = [...before.values()].filter((ips) => ips.length > 0).length;
    expect(allocatedBefore).toBeGreaterThan(0);
    expect(allocatedBefore).toBeLessThan(BURST);

    const second = t.spawn('restart-2');
    await second.waitForLog((l) => l.event === 'allocations-imported', t.budget());
    const after = await t.waitFor(
      `all ${BURST} Services to be allocated`,
      async () => {
        const services = await t.listServices();
        return services.length === BURST &&
          services.every((s) => ingressIps(s).length === 1 && allocatedCondition(s)?.reason === 'Allocated')
          ? services
          : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    const now = ingressByName(after);
    for (const [name, ips] of before) if (ips.length > 0) expect(now.get(name), name).toEqual(ips);
    const all = [...now.values()].flat();
    expect(new Set(all).size).toBe(BURST);
    const imported = second.logs.find((l) => l.event === 'allocations-imported');
    expect(imported?.issues).toBe(0);
    expect(imported?.imported).toBeGreaterThanOrEqual(allocatedBefore);
    await second.stop();
  }, 400_000);

  it('imports existing allocations first: a collision is reported on the younger Service and never reassigned; an address outside every pool is reported', async () => {
    await t.createGroup('imported', { v4pools: [{ pool: '192.0.2.100-192.0.2.101', subnet: '192.0.2.0/24' }] });
    const annotations = {
      'purelb.io/service-group': 'imported',
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': 'imported',
      'purelb.io/pool-type': 'local',
    };
    // Written while no allocator runs: two Services claim one address, a third one outside every pool.
    const claims: [string, string][] = [
      ['a-older', '192.0.2.100'],
      ['b-younger', '192.0.2.100'],
      ['c-outside', '192.0.2.250'],
    ];
    for (const [name, ip] of claims) {
      await t.createService(name, { annotations });
      expectOk(
        await t.api.patch(`${servicesPath(t.ns)}/${name}/status`, {
          status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
        }),
        `status of ${name}`,
      );
    }
    await t.createService('d-new', { annotations: { 'purelb.io/service-group': 'imported' } });

    const third = t.spawn('restart-3');
    const older = await t.waitForAllocated('a-older');
    expect(ingressIps(older)).toEqual(['192.0.2.100']);
    const younger = await t.waitForReason('b-younger', 'AddressInUse');
    expect(ingressIps(younger)).toEqual(['192.0.2.100']);
    expect(allocatedCondition(younger)?.message).toContain('a-older');
    await t.waitForEvent('b-younger', 'AddressInUse');
    const outside = await t.waitForReason('c-outside', 'AddressOutsidePool');
    expect(ingressIps(outside)).toEqual(['192.0.2.250']);
    await t.waitForEvent('c-outside', 'AddressOutsidePool');
    // The new Service gets the only free address, not one that is already claimed.
    expect(ingressIps(await t.waitForAllocated('d-new'))).toEqual(['192.0.2.101']);

    // Once the older one goes, the younger keeps the address it shows.
    await t.deleteService('a-older');
    const adopted = await t.waitForReason('b-younger', 'Allocated');
    expect(ingressIps(adopted)).toEqual(['192.0.2.100']);
    expect(ingressIps(await t.getService('c-outside'))).toEqual(['192.0.2.250']);
    const exit = await third.stop();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
