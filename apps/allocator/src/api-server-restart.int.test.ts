// On a private dual-stack control plane: the default group, address families (SPEC §4.1, §4.6) and an
// API server restart with etcd compaction during churn (SPEC §7): watches resume, nothing lost, nothing leaked.
import { describe, expect, it } from 'vitest';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, ingressIps } from './testing/fixtures.ts';

const dual = { 'purelb.io/service-group': 'fam' };
const v4only = { 'purelb.io/service-group': 'v4only' };
const churn = { 'purelb.io/service-group': 'churn' };
// This control plane is private, so a group may be called `default` without meeting other tests.
const t = useAllocatorScene({
  name: 'cp',
  controlPlane: 'private',
  groups: {
    fam: {
      v4pools: [{ pool: '192.0.2.1-192.0.2.9', subnet: '192.0.2.0/24' }],
      v6pools: [{ pool: '2001:db8::1-2001:db8::9', subnet: '2001:db8::/64' }],
    },
    v4only: { v4pools: [{ pool: '198.51.100.1-198.51.100.9', subnet: '198.51.100.0/24' }] },
    churn: { v4pools: [{ pool: '203.0.113.0/24', subnet: '203.0.113.0/24' }] },
    default: { v4pools: [{ pool: '192.0.2.128/28', subnet: '192.0.2.0/24' }] },
  },
});

describe('the default group', () => {
  it('a Service that names no group is allocated from `default`', async () => {
    await t.createService('no-group');
    const svc = await t.waitForAllocated('no-group');
    expect(ingressIps(svc)).toEqual(['192.0.2.128']);
    expect(svc.metadata?.annotations?.['purelb.io/allocated-from']).toBe('default');
  });
});

describe('address families', () => {
  it('PreferDualStack in a group with one family gets that family; RequireDualStack there is FamilyUnavailable', async () => {
    await t.createService('prefer', {
      annotations: v4only,
      ipFamilyPolicy: 'PreferDualStack',
      ipFamilies: ['IPv4', 'IPv6'],
    });
    expect(ingressIps(await t.waitForAllocated('prefer', { count: 1 }))).toEqual(['198.51.100.1']);
    await t.createService('require', {
      annotations: v4only,
      ipFamilyPolicy: 'RequireDualStack',
      ipFamilies: ['IPv4', 'IPv6'],
    });
    const svc = await t.waitForReason('require', 'FamilyUnavailable');
    expect(ingressIps(svc)).toEqual([]);
    // nothing partial was kept: the next IPv4 Service gets the next address
    await t.createService('next-v4', { annotations: v4only });
    expect(ingressIps(await t.waitForAllocated('next-v4'))).toEqual(['198.51.100.2']);
  });

  it('RequireDualStack gets both families in spec.ipFamilies order; removing a family releases only that family; adding one keeps the existing address', async () => {
    await t.createService('both', {
      annotations: dual,
      ipFamilyPolicy: 'RequireDualStack',
      ipFamilies: ['IPv6', 'IPv4'],
    });
    const before = await t.waitForAllocated('both', { count: 2 });
    expect(before.status?.loadBalancer?.ingress).toEqual([
      { ip: '2001:db8::1', ipMode: 'VIP' },
      { ip: '192.0.2.1', ipMode: 'VIP' },
    ]);
    const clusterIPs = (before.spec as { clusterIPs?: string[] } | undefined)?.clusterIPs ?? [];
    await t.patchService('both', {
      spec: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], clusterIPs: clusterIPs.slice(0, 1) },
    });
    const single = await t.waitFor('both to keep only its IPv6 address', async () => {
      const svc = await t.getService('both');
      const ips = ingressIps(svc);
      return ips.length === 1 && ips[0] === '2001:db8::1' ? svc : undefined;
    });
    expect(allocatedCondition(single)?.reason).toBe('Allocated');
    const events = await t.waitForEvent('both', 'AddressReleased');
    expect(events.find((e) => e.reason === 'AddressReleased')?.message).toContain('192.0.2.1');
    await t.createService('reuses-v4', { annotations: dual });
    expect(ingressIps(await t.waitForAllocated('reuses-v4'))).toEqual(['192.0.2.1']);

    await t.patchService('both', { spec: { ipFamilyPolicy: 'PreferDualStack' } });
    const grown = await t.waitForAllocated('both', { count: 2 });
    expect(ingressIps(grown)).toEqual(['2001:db8::1', '192.0.2.2']);
  });
});

describe('API server restart during churn', () => {
  it('watches resume after a restart with etcd compaction: final state correct, deleted Services’ addresses free', async () => {
    const first = Array.from({ length: 40 }, (_, i) => `churn-${i}`);
    for (const name of first) await t.createService(name, { annotations: churn });
    const held = new Map<string, string>();
    for (const name of first) held.set(name, ingressIps(await t.waitForAllocated(name))[0] ?? '');

    const restart = t.controlPlane?.restartApiServer({ compactEtcd: true });
    const deleted = first.slice(0, 20);
    const kept = first.slice(20);
    const added = Array.from({ length: 10 }, (_, i) => `late-${i}`);
    await Promise.all([
      restart,
      (async () => {
        for (const name of deleted) await t.deleteService(name);
        for (const name of added) await t.createService(name, { annotations: churn });
      })(),
    ]);

    for (const name of [...kept, ...added]) await t.waitForAllocated(name);
    const now = new Map<string, string>();
    for (const name of [...kept, ...added]) now.set(name, ingressIps(await t.getService(name))[0] ?? '');
    for (const name of kept) expect(now.get(name), name).toBe(held.get(name));
    expect(new Set(now.values()).size).toBe(30);

    // Every address of a deleted Service is free again: the new ones took some, the rest can be pinned.
    const freed = deleted.map((n) => held.get(n) ?? '').filter((ip) => ![...now.values()].includes(ip));
    expect(freed.length).toBeGreaterThanOrEqual(10);
    for (const [i, ip] of freed.entries()) {
      await t.createService(`pin-${i}`, { annotations: { ...churn, 'purelb.io/addresses': ip } });
      expect(ingressIps(await t.waitForAllocated(`pin-${i}`))).toEqual([ip]);
    }
    const expected = String(30 + freed.length);
    await t.waitFor(
      `group churn to count ${expected} allocated`,
      async () => (await t.getGroup('churn'))?.status?.v4?.allocated === expected,
    );

    const port = await t.allocator.port();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/purelb_allocator_watch_restarts_total\{resource="services"\} [1-9]/);

    for (const name of [...kept, ...added]) await t.deleteService(name);
  });
});
