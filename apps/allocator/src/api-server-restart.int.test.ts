// On a private dual-stack control plane: address families (SPEC §4.1, §4.6) and an API server
// restart with etcd compaction during churn (SPEC §7): watches resume, nothing lost, nothing leaked.
import { startControlPlane } from '@purelb/test-control-plane';
import type { ControlPlane, KubeClient } from '@purelb/test-control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndReport } from './testing/allocator-process.ts';
import type { AllocatorProcess } from './testing/allocator-process.ts';
import {
  createTestApi,
  spawnAllocator,
  allocatedCondition,
  createGroup,
  createNamespace,
  createService,
  deleteService,
  getGroup,
  getService,
  ingressIps,
  patchService,
  waitFor,
  waitForAllocated,
  waitForEvent,
  waitForReason,
} from './testing/fixtures.ts';

let controlPlane: ControlPlane;
let api: KubeClient;
let install: string;
let ns: string;
let allocator: AllocatorProcess;
const dual = { 'purelb.io/service-group': 'fam' };
const v4only = { 'purelb.io/service-group': 'v4only' };
const churn = { 'purelb.io/service-group': 'churn' };

beforeAll(async () => {
  controlPlane = await startControlPlane();
  api = await createTestApi(controlPlane.kubeconfigPath);
  install = await createNamespace(api, 'cp-install');
  ns = await createNamespace(api, 'cp');
  await createGroup(api, install, 'fam', {
    v4pools: [{ pool: '192.0.2.1-192.0.2.9', subnet: '192.0.2.0/24' }],
    v6pools: [{ pool: '2001:db8::1-2001:db8::9', subnet: '2001:db8::/64' }],
  });
  await createGroup(api, install, 'v4only', { v4pools: [{ pool: '198.51.100.1-198.51.100.9', subnet: '198.51.100.0/24' }] });
  await createGroup(api, install, 'churn', { v4pools: [{ pool: '203.0.113.0/24', subnet: '203.0.113.0/24' }] });
  // This control plane is private, so a group may be called `default` without meeting other tests.
  await createGroup(api, install, 'default', { v4pools: [{ pool: '192.0.2.128/28', subnet: '192.0.2.0/24' }] });
  allocator = spawnAllocator({ kubeconfigPath: controlPlane.kubeconfigPath, namespace: install, identity: 'cp-1' });
  await allocator.waitForLog((l) => l.event === 'allocating');
});

afterAll(async () => {
  const { exit, crashes } = await stopAndReport(allocator);
  api.close();
  await controlPlane.stop();
  expect(crashes).toEqual([]);
  expect(exit).toEqual({ code: 0, signal: null });
});

describe('the default group', () => {
  it('a Service that names no group is allocated from `default`', async () => {
    await createService(api, ns, 'no-group');
    const svc = await waitForAllocated(api, ns, 'no-group');
    expect(ingressIps(svc)).toEqual(['192.0.2.128']);
    expect(svc.metadata?.annotations?.['purelb.io/allocated-from']).toBe('default');
  });
});

describe('address families', () => {
  it('RequireDualStack gets both families, ingress in spec.ipFamilies order', async () => {
    await createService(api, ns, 'both', { annotations: dual, ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] });
    const svc = await waitForAllocated(api, ns, 'both', 2);
    expect(svc.status?.loadBalancer?.ingress).toEqual([
      { ip: '2001:db8::1', ipMode: 'VIP' },
      { ip: '192.0.2.1', ipMode: 'VIP' },
    ]);
  });

  it('PreferDualStack in a group with one family gets that family; RequireDualStack there is FamilyUnavailable', async () => {
    await createService(api, ns, 'prefer', { annotations: v4only, ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    expect(ingressIps(await waitForAllocated(api, ns, 'prefer', 1))).toEqual(['198.51.100.1']);
    await createService(api, ns, 'require', { annotations: v4only, ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    const svc = await waitForReason(api, ns, 'require', 'FamilyUnavailable');
    expect(ingressIps(svc)).toEqual([]);
    // nothing partial was kept: the next IPv4 Service gets the next address
    await createService(api, ns, 'next-v4', { annotations: v4only });
    expect(ingressIps(await waitForAllocated(api, ns, 'next-v4'))).toEqual(['198.51.100.2']);
  });

  it('removing a family releases only that family; adding one keeps the existing address', async () => {
    const before = await waitForAllocated(api, ns, 'both', 2);
    const clusterIPs = (before.spec as { clusterIPs?: string[] } | undefined)?.clusterIPs ?? [];
    await patchService(api, ns, 'both', { spec: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], clusterIPs: clusterIPs.slice(0, 1) } });
    const single = await waitFor('both to keep only its IPv6 address', async () => {
      const svc = await getService(api, ns, 'both');
      const ips = ingressIps(svc);
      return ips.length === 1 && ips[0] === '2001:db8::1' ? svc : undefined;
    });
    expect(allocatedCondition(single)?.reason).toBe('Allocated');
    const events = await waitForEvent(api, ns, 'both', 'AddressReleased');
    expect(events.find((e) => e.reason === 'AddressReleased')?.message).toContain('192.0.2.1');
    await createService(api, ns, 'reuses-v4', { annotations: dual });
    expect(ingressIps(await waitForAllocated(api, ns, 'reuses-v4'))).toEqual(['192.0.2.1']);

    await patchService(api, ns, 'both', { spec: { ipFamilyPolicy: 'PreferDualStack' } });
    const grown = await waitForAllocated(api, ns, 'both', 2);
    expect(ingressIps(grown)).toEqual(['2001:db8::1', '192.0.2.2']);
  });
});

describe('API server restart during churn', () => {
  it('watches resume after a restart with etcd compaction: final state correct, deleted Services’ addresses free', async () => {
    const first = Array.from({ length: 40 }, (_, i) => `churn-${i}`);
    for (const name of first) await createService(api, ns, name, { annotations: churn });
    const held = new Map<string, string>();
    for (const name of first) held.set(name, ingressIps(await waitForAllocated(api, ns, name))[0] ?? '');

    const restart = controlPlane.restartApiServer({ compactEtcd: true });
    const deleted = first.slice(0, 20);
    const kept = first.slice(20);
    const added = Array.from({ length: 10 }, (_, i) => `late-${i}`);
    await Promise.all([
      restart,
      (async () => {
        for (const name of deleted) await deleteService(api, ns, name);
        for (const name of added) await createService(api, ns, name, { annotations: churn });
      })(),
    ]);

    for (const name of [...kept, ...added]) await waitForAllocated(api, ns, name);
    const now = new Map<string, string>();
    for (const name of [...kept, ...added]) now.set(name, ingressIps(await getService(api, ns, name))[0] ?? '');
    for (const name of kept) expect(now.get(name), name).toBe(held.get(name));
    expect(new Set(now.values()).size).toBe(30);

    // Every address of a deleted Service is free again: the new ones took some, the rest can be pinned.
    const freed = deleted.map((n) => held.get(n) ?? '').filter((ip) => ![...now.values()].includes(ip));
    expect(freed.length).toBeGreaterThanOrEqual(10);
    for (const [i, ip] of freed.entries()) {
      await createService(api, ns, `pin-${i}`, { annotations: { ...churn, 'purelb.io/addresses': ip } });
      expect(ingressIps(await waitForAllocated(api, ns, `pin-${i}`))).toEqual([ip]);
    }
    const expected = String(30 + freed.length);
    await waitFor(`group churn to count ${expected} allocated`, async () => ((await getGroup(api, install, 'churn'))?.status?.v4?.allocated === expected ? true : undefined));

    const port = await allocator.port();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/purelb_allocator_watch_restarts_total\{resource="services"\} [1-9]/);

    for (const name of [...kept, ...added]) await deleteService(api, ns, name);
  });
});
