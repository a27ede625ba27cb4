// ServiceGroup status, invalid groups, and pool edits, against a real API server. Every test makes
// the groups it looks at (in address ranges of its own); none relies on what another left behind.
import { describe, expect, it } from 'vitest';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, groupsPath, ingressIps, readyCondition } from './testing/fixtures.ts';

const group = (name: string) => ({ 'purelb.io/service-group': name });
const t = useAllocatorScene({ name: 'sg' });

describe('ServiceGroup status', () => {
  it('a valid group is Ready with exact decimal counts and its observedGeneration; the counts follow allocations', async () => {
    await t.createGroup('sg-counted', {
      v4pools: [{ pool: '192.0.2.0/28', subnet: '192.0.2.0/24' }],
      v6pools: [{ pool: '2001:db8:1::/64', subnet: '2001:db8:1::/64' }],
    });
    const g = await t.waitForGroup('sg-counted', 'Ready', (x) => readyCondition(x)?.status === 'True');
    expect(readyCondition(g)).toMatchObject({ status: 'True', reason: 'Valid' });
    expect(g.status?.observedGeneration).toBe(g.metadata?.generation);
    expect(g.status?.v4).toEqual({ capacity: '16', allocated: '0', available: '16' });
    expect(g.status?.v6).toEqual({
      capacity: '18446744073709551616',
      allocated: '0',
      available: '18446744073709551616',
    });

    await t.createService('counted', { annotations: group('sg-counted') });
    await t.waitForAllocated('counted');
    const after = await t.waitForGroup('sg-counted', 'one allocated', (x) => x.status?.v4?.allocated === '1');
    expect(after.status?.v4).toEqual({ capacity: '16', allocated: '1', available: '15' });
  });

  it('an overlapping younger group is Ready=False Overlap naming the older one, with one Warning Event; the older keeps working', async () => {
    await t.createGroup('sg-old', { v4pools: [{ pool: '192.0.2.32/28', subnet: '192.0.2.0/24' }] });
    await t.waitForGroup('sg-old', 'Ready', (x) => readyCondition(x)?.status === 'True');
    await t.createGroup('sg-young', { v4pools: [{ pool: '192.0.2.40-192.0.2.52', subnet: '192.0.2.0/24' }] });
    const g = await t.waitForGroup('sg-young', 'not Ready', (x) => readyCondition(x)?.status === 'False');
    expect(readyCondition(g)?.reason).toBe('Overlap');
    expect(readyCondition(g)?.message).toContain('"sg-old"');
    const events = await t.waitForEvent('sg-young', 'Overlap', { install: true });
    const overlaps = events.filter((e) => e.reason === 'Overlap');
    expect(overlaps.map((e) => [e.type, e.involvedObject.kind])).toEqual([['Warning', 'ServiceGroup']]);

    await t.createService('uses-invalid', { annotations: group('sg-young') });
    await t.waitForReason('uses-invalid', 'GroupInvalid');
    await t.createService('uses-old', { annotations: group('sg-old') });
    await t.waitForAllocated('uses-old');
    // no second Overlap Event while nothing about the group changed
    expect((await t.listEvents('sg-young', { install: true })).filter((e) => e.reason === 'Overlap')).toHaveLength(1);
    expect(readyCondition(await t.getGroup('sg-old'))?.status).toBe('True');
  });

  it('a pool outside its subnet is Ready=False InvalidPool with a Warning Event', async () => {
    await t.createGroup('sg-outside', { v4pools: [{ pool: '198.51.100.10-198.51.100.20', subnet: '203.0.113.0/24' }] });
    const g = await t.waitForGroup('sg-outside', 'not Ready', (x) => readyCondition(x)?.status === 'False');
    expect(readyCondition(g)?.reason).toBe('InvalidPool');
    expect(readyCondition(g)?.message).toContain('spec.local.v4pools[0]');
    await t.waitForEvent('sg-outside', 'InvalidPool', { install: true });
  });

  it.each([
    ['a pool that is not an address', { v4pools: [{ pool: 'not-a-cidr', subnet: '192.0.2.0/24' }] }],
    ['a range running backwards', { v4pools: [{ pool: '192.0.2.9-192.0.2.1', subnet: '192.0.2.0/24' }] }],
    ['a bad aggregation', { v4pools: [{ pool: '192.0.2.1/32', subnet: '192.0.2.0/24', aggregation: '/99' }] }],
  ])('%s is rejected by the API server', async (_name, pools) => {
    const r = await t.api.post(groupsPath(t.install), {
      apiVersion: 'purelb.io/v1',
      kind: 'ServiceGroup',
      metadata: { name: 'sg-malformed' },
      spec: { local: pools },
    });
    expect(r.status).toBe(422);
  });

  it('pool edits never move a Service: AddressOutsidePool until the pool covers it again', async () => {
    const pools = (range: string) => ({ v4pools: [{ pool: range, subnet: '198.51.100.0/24' }] });
    await t.createGroup('sg-edit', pools('198.51.100.1-198.51.100.5'));
    await t.createService('edited', { annotations: { ...group('sg-edit'), 'purelb.io/addresses': '198.51.100.5' } });
    await t.waitForAllocated('edited');
    await t.patchGroupPools('sg-edit', pools('198.51.100.1-198.51.100.3'));
    const outside = await t.waitForReason('edited', 'AddressOutsidePool');
    expect(ingressIps(outside)).toEqual(['198.51.100.5']);
    expect(allocatedCondition(outside)?.status).toBe('False');
    await t.waitForEvent('edited', 'AddressOutsidePool');
    const g = await t.waitForGroup('sg-edit', 'observedGeneration 2', (x) => x.status?.observedGeneration === 2);
    expect(g.status?.v4?.capacity).toBe('3');
    await t.patchGroupPools('sg-edit', pools('198.51.100.1-198.51.100.9'));
    const back = await t.waitForReason('edited', 'Allocated');
    expect(ingressIps(back)).toEqual(['198.51.100.5']);
  });

  it('deleting a group leaves its Services in place, reported AddressOutsidePool; other groups keep working', async () => {
    await t.createGroup('sg-gone', { v4pools: [{ pool: '203.0.113.1-203.0.113.3', subnet: '203.0.113.0/24' }] });
    await t.createGroup('sg-stays', { v4pools: [{ pool: '203.0.113.10-203.0.113.12', subnet: '203.0.113.0/24' }] });
    await t.createService('orphan', { annotations: group('sg-gone') });
    await t.createService('kept', { annotations: group('sg-stays') });
    const [ip] = ingressIps(await t.waitForAllocated('orphan'));
    const [keptIp] = ingressIps(await t.waitForAllocated('kept'));
    await t.deleteGroup('sg-gone');
    const svc = await t.waitForReason('orphan', 'AddressOutsidePool');
    expect(ingressIps(svc)).toEqual([ip]);
    await t.createService('still-works', { annotations: group('sg-stays') });
    await t.waitForAllocated('still-works');
    expect(ingressIps(await t.getService('kept'))).toEqual([keptIp]);
  });
});
