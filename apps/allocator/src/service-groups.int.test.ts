// ServiceGroup status, invalid groups, and pool edits, against a real API server.
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndReport } from './testing/allocator-process.ts';
import type { AllocatorProcess } from './testing/allocator-process.ts';
import { createTestApi, spawnAllocator, allocatedCondition, createGroup, createNamespace, createService, deleteAllServices, getGroup, getService, groupsPath, ingressIps, listEvents, waitFor, waitForAllocated, waitForEvent, waitForReason } from './testing/fixtures.ts';
import type { GroupView } from './testing/fixtures.ts';

let api: KubeClient;
let install: string;
let ns: string;
let allocator: AllocatorProcess;
const group = (name: string) => ({ 'purelb.io/service-group': name });
const ready = (g: GroupView | undefined) => g?.status?.conditions?.find((c) => c.type === 'Ready');

function waitForGroup(name: string, pred: (g: GroupView) => boolean, what: string): Promise<GroupView> {
  return waitFor(`ServiceGroup ${name}: ${what}`, async () => {
    const g = await getGroup(api, install, name);
    return g !== undefined && pred(g) ? g : undefined;
  });
}

beforeAll(async () => {
  const kubeconfigPath = testKubeconfigPath();
  api = await createTestApi(kubeconfigPath);
  install = await createNamespace(api, 'sg-install');
  ns = await createNamespace(api, 'sg');
  await createGroup(api, install, 'sg-old', {
    v4pools: [{ pool: '192.0.2.0/28', subnet: '192.0.2.0/24' }],
    v6pools: [{ pool: '2001:db8:1::/64', subnet: '2001:db8:1::/64' }],
  });
  allocator = spawnAllocator({ kubeconfigPath, namespace: install, identity: 'sg-1' });
  await allocator.waitForLog((l) => l.event === 'allocating');
});

afterAll(async () => {
  const { exit, crashes } = await stopAndReport(allocator);
  await deleteAllServices(api, ns);
  api.close();
  expect(crashes).toEqual([]);
  expect(exit).toEqual({ code: 0, signal: null });
});

describe('ServiceGroup status', () => {
  it('a valid group is Ready with exact decimal counts and its observedGeneration', async () => {
    const g = await waitForGroup('sg-old', (x) => ready(x)?.status === 'True', 'Ready');
    expect(ready(g)).toMatchObject({ status: 'True', reason: 'Valid' });
    expect(g.status?.observedGeneration).toBe(g.metadata?.generation);
    expect(g.status?.v4).toEqual({ capacity: '16', allocated: '0', available: '16' });
    expect(g.status?.v6).toEqual({ capacity: '18446744073709551616', allocated: '0', available: '18446744073709551616' });
  });

  it('counts follow allocations', async () => {
    await createService(api, ns, 'counted', { annotations: group('sg-old') });
    await waitForAllocated(api, ns, 'counted');
    const g = await waitForGroup('sg-old', (x) => x.status?.v4?.allocated === '1', 'one allocated');
    expect(g.status?.v4).toEqual({ capacity: '16', allocated: '1', available: '15' });
  });

  it('an overlapping younger group is Ready=False Overlap naming the older one, with one Warning Event; the older keeps working', async () => {
    await createGroup(api, install, 'sg-young', { v4pools: [{ pool: '192.0.2.8-192.0.2.20', subnet: '192.0.2.0/24' }] });
    const g = await waitForGroup('sg-young', (x) => ready(x)?.status === 'False', 'not Ready');
    expect(ready(g)?.reason).toBe('Overlap');
    expect(ready(g)?.message).toContain('"sg-old"');
    const events = await waitForEvent(api, install, 'sg-young', 'Overlap');
    const overlaps = events.filter((e) => e.reason === 'Overlap');
    expect(overlaps.map((e) => [e.type, e.involvedObject.kind])).toEqual([['Warning', 'ServiceGroup']]);

    await createService(api, ns, 'uses-invalid', { annotations: group('sg-young') });
    await waitForReason(api, ns, 'uses-invalid', 'GroupInvalid');
    await createService(api, ns, 'uses-old', { annotations: group('sg-old') });
    await waitForAllocated(api, ns, 'uses-old');
    // no second Overlap Event while nothing about the group changed
    expect((await listEvents(api, install, 'sg-young')).filter((e) => e.reason === 'Overlap')).toHaveLength(1);
    expect(ready(await getGroup(api, install, 'sg-old'))?.status).toBe('True');
  });

  it('a pool outside its subnet is Ready=False InvalidPool with a Warning Event', async () => {
    await createGroup(api, install, 'sg-outside', { v4pools: [{ pool: '198.51.100.10-198.51.100.20', subnet: '203.0.113.0/24' }] });
    const g = await waitForGroup('sg-outside', (x) => ready(x)?.status === 'False', 'not Ready');
    expect(ready(g)?.reason).toBe('InvalidPool');
    expect(ready(g)?.message).toContain('spec.local.v4pools[0]');
    await waitForEvent(api, install, 'sg-outside', 'InvalidPool');
  });

  it.each([
    ['a pool that is not an address', { v4pools: [{ pool: 'not-a-cidr', subnet: '192.0.2.0/24' }] }],
    ['a range running backwards', { v4pools: [{ pool: '192.0.2.9-192.0.2.1', subnet: '192.0.2.0/24' }] }],
    ['a bad aggregation', { v4pools: [{ pool: '192.0.2.1/32', subnet: '192.0.2.0/24', aggregation: '/99' }] }],
  ])('%s is rejected by the API server', async (_name, pools) => {
    const r = await api.post(groupsPath(install), { apiVersion: 'purelb.io/v1', kind: 'ServiceGroup', metadata: { name: 'sg-malformed' }, spec: { local: pools } });
    expect(r.status).toBe(422);
  });

  it('pool edits never move a Service: AddressOutsidePool until the pool covers it again', async () => {
    await createGroup(api, install, 'sg-edit', { v4pools: [{ pool: '198.51.100.1-198.51.100.5', subnet: '198.51.100.0/24' }] });
    await createService(api, ns, 'edited', { annotations: { ...group('sg-edit'), 'purelb.io/addresses': '198.51.100.5' } });
    await waitForAllocated(api, ns, 'edited');
    const path = `${groupsPath(install)}/sg-edit`;
    expect((await api.patch(path, { spec: { local: { v4pools: [{ pool: '198.51.100.1-198.51.100.3', subnet: '198.51.100.0/24' }] } } })).status).toBe(200);
    const outside = await waitForReason(api, ns, 'edited', 'AddressOutsidePool');
    expect(ingressIps(outside)).toEqual(['198.51.100.5']);
    expect(allocatedCondition(outside)?.status).toBe('False');
    await waitForEvent(api, ns, 'edited', 'AddressOutsidePool');
    const g = await waitForGroup('sg-edit', (x) => x.status?.observedGeneration === 2, 'observedGeneration 2');
    expect(g.status?.v4?.capacity).toBe('3');
    expect((await api.patch(path, { spec: { local: { v4pools: [{ pool: '198.51.100.1-198.51.100.9', subnet: '198.51.100.0/24' }] } } })).status).toBe(200);
    const back = await waitForReason(api, ns, 'edited', 'Allocated');
    expect(ingressIps(back)).toEqual(['198.51.100.5']);
  });

  it('deleting a group leaves its Services in place, reported AddressOutsidePool', async () => {
    await createGroup(api, install, 'sg-gone', { v4pools: [{ pool: '203.0.113.1-203.0.113.3', subnet: '203.0.113.0/24' }] });
    await createService(api, ns, 'orphan', { annotations: group('sg-gone') });
    const [ip] = ingressIps(await waitForAllocated(api, ns, 'orphan'));
    expect((await api.delete(`${groupsPath(install)}/sg-gone`)).status).toBe(200);
    const svc = await waitForReason(api, ns, 'orphan', 'AddressOutsidePool');
    expect(ingressIps(svc)).toEqual([ip]);
    // still alive and allocating
    await createService(api, ns, 'still-works', { annotations: group('sg-old') });
    await waitForAllocated(api, ns, 'still-works');
    expect((await getService(api, ns, 'counted'))?.status?.loadBalancer?.ingress).toHaveLength(1);
  });
});
