// The allocator as a real process against a real API server: the Service rules of SPEC §3–§4.
// Every test makes the Services it looks at; none relies on what another left behind.
import { describe, expect, it } from 'vitest';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, ingressIps } from './testing/fixtures.ts';

const G = 'alloc-main';
const SMALL = 'alloc-small';
const group = (name: string) => ({ 'purelb.io/service-group': name });
const t = useAllocatorScene({
  name: 'alloc',
  groups: {
    [G]: { v4pools: [{ pool: '192.0.2.10-192.0.2.60', subnet: '192.0.2.0/24' }] },
    [SMALL]: { v4pools: [{ pool: '198.51.100.1/32', subnet: '198.51.100.0/24' }] },
  },
});

describe('allocator process', () => {
  it('serves /healthz, /readyz and /metrics on the bound port', async () => {
    const port = await t.allocator.port();
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await t.waitFor('readyz', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      return r.status === 200 ? r.text() : undefined;
    });
    expect(ready).toContain('leader');
    await t.createService('metrics-probe', { annotations: group(G) });
    await t.waitForAllocated('metrics-probe');
    const text = await t.waitFor('metrics with the group gauge', async () => {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return body.includes(`purelb_allocator_pool_capacity{group="${G}",family="IPv4"} 51`) ? body : undefined;
    });
    expect(text).toContain('purelb_allocator_leader 1');
    expect(text).toMatch(/purelb_allocator_allocations_total\{group="alloc-main"\} [1-9]/);
    expect(text).toContain('purelb_allocator_reconcile_duration_seconds_bucket');
    expect(text).toContain('purelb_allocator_watch_restarts_total');
    expect(text).toContain('purelb_allocator_lease_renew_failures_total 0');
  });

  it('gives a LoadBalancer Service an address: ingress with ipMode VIP, annotations, condition, one AddressAssigned Event', async () => {
    await t.createService('web', { annotations: group(G) });
    const svc = await t.waitForAllocated('web');
    const [ip] = ingressIps(svc);
    expect(ip).toMatch(/^192\.0\.2\.\d+$/);
    expect(svc.status?.loadBalancer?.ingress).toEqual([{ ip, ipMode: 'VIP' }]);
    expect(svc.metadata?.annotations).toMatchObject({
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': G,
      'purelb.io/pool-type': 'local',
    });
    expect(allocatedCondition(svc)).toMatchObject({ status: 'True', reason: 'Allocated' });
    const events = await t.waitForEvent('web', 'AddressAssigned');
    expect(events.filter((e) => e.reason === 'AddressAssigned')).toHaveLength(1);
    expect(events.find((e) => e.reason === 'AddressAssigned')?.message).toContain(ip);
  });

  it('ignores Services of another class and non-LoadBalancer Services entirely', async () => {
    await t.createService('foreign', { annotations: group(G), loadBalancerClass: 'example.com/other' });
    await t.createService('plain', { annotations: group(G), type: 'ClusterIP' });
    await t.createService('explicit-class', { annotations: group(G), loadBalancerClass: 'purelb.io/purelb' });
    await t.waitForAllocated('explicit-class');
    // The allocator handles keys one by one in arrival order; by now it has seen the earlier two.
    for (const name of ['foreign', 'plain']) {
      const svc = await t.getService(name);
      expect(ingressIps(svc)).toEqual([]);
      expect(allocatedCondition(svc)).toBeUndefined();
      expect(Object.keys(svc?.metadata?.annotations ?? {}).filter((k) => k.startsWith('purelb.io/allocated'))).toEqual(
        [],
      );
      expect(await t.listEvents(name)).toEqual([]);
    }
  });

  it('honours purelb.io/addresses (whitespace tolerated) and spec.loadBalancerIP with a DeprecatedField Event', async () => {
    await t.createService('pinned', { annotations: { ...group(G), 'purelb.io/addresses': ' 192.0.2.53 ' } });
    expect(ingressIps(await t.waitForAllocated('pinned'))).toEqual(['192.0.2.53']);
    await t.createService('legacy', { loadBalancerIP: '192.0.2.54' });
    expect(ingressIps(await t.waitForAllocated('legacy'))).toEqual(['192.0.2.54']);
    const events = await t.waitForEvent('legacy', 'DeprecatedField');
    expect(events.find((e) => e.reason === 'DeprecatedField')?.type).toBe('Normal');
    // the address chose the group without a group annotation
    expect((await t.getService('legacy'))?.metadata?.annotations?.['purelb.io/allocated-from']).toBe(G);
  });

  it.each([
    ['unknown group', { 'purelb.io/service-group': 'no-such-group' }, 'GroupNotFound'],
    ['malformed addresses', { ...group(G), 'purelb.io/addresses': '192.0.2.300' }, 'InvalidAnnotation'],
    [
      'two addresses of one family',
      { ...group(G), 'purelb.io/addresses': '192.0.2.35,192.0.2.36' },
      'InvalidAnnotation',
    ],
    ['address outside every pool', { ...group(G), 'purelb.io/addresses': '203.0.113.99' }, 'AddressNotInPool'],
    ['address in use', { ...group(G), 'purelb.io/addresses': '192.0.2.57' }, 'AddressInUse'],
  ])('%s → condition False with that reason and exactly one Warning Event', async (_name, annotations, reason) => {
    const name = `bad-${reason.toLowerCase()}-${Object.keys(annotations).length}${_name.length}`;
    if (reason === 'AddressInUse') {
      await t.createService(`${name}-holder`, { annotations });
      await t.waitForAllocated(`${name}-holder`);
    }
    await t.createService(name, { annotations });
    const svc = await t.waitForReason(name, reason);
    expect(allocatedCondition(svc)?.status).toBe('False');
    expect(ingressIps(svc)).toEqual([]);
    const events = await t.waitForEvent(name, reason);
    // A later, unrelated change to the Service must not repeat the Event.
    await t.patchService(name, { metadata: { labels: { touched: 'yes' } } });
    await t.createService(`${name}-after`, { annotations: group(G) });
    await t.waitForAllocated(`${name}-after`);
    const again = await t.listEvents(name);
    const warnings = again.filter((e) => e.reason === reason);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.type).toBe('Warning');
    expect(warnings[0]?.count ?? 1).toBe(1);
    expect(events.filter((e) => e.reason === reason)).toHaveLength(1);
  });

  it('a full pool leaves a Service pending (PoolExhausted); deleting the holder unblocks it at once', async () => {
    await t.createService('small-a', { annotations: group(SMALL) });
    expect(ingressIps(await t.waitForAllocated('small-a'))).toEqual(['198.51.100.1']);
    await t.createService('small-b', { annotations: group(SMALL) });
    await t.waitForReason('small-b', 'PoolExhausted');
    await t.deleteService('small-a');
    expect(ingressIps(await t.waitForAllocated('small-b'))).toEqual(['198.51.100.1']);
  });

  it('a type change away from LoadBalancer clears ingress, annotations and condition, and frees the address', async () => {
    await t.createService('changer', { annotations: { ...group(G), 'purelb.io/addresses': '192.0.2.59' } });
    await t.waitForAllocated('changer');
    await t.patchService('changer', { spec: { type: 'ClusterIP', allocateLoadBalancerNodePorts: null } });
    const cleared = await t.waitFor('changer to be cleared', async () => {
      const svc = await t.getService('changer');
      const ann = svc?.metadata?.annotations ?? {};
      return ingressIps(svc).length === 0 &&
        allocatedCondition(svc) === undefined &&
        !('purelb.io/allocated-by' in ann) &&
        !('purelb.io/allocated-from' in ann) &&
        !('purelb.io/pool-type' in ann)
        ? svc
        : undefined;
    });
    expect(cleared.spec?.type).toBe('ClusterIP');
    await t.waitForEvent('changer', 'AddressReleased');
    await t.createService('taker', { annotations: { ...group(G), 'purelb.io/addresses': '192.0.2.59' } });
    expect(ingressIps(await t.waitForAllocated('taker'))).toEqual(['192.0.2.59']);
  });

  it('sharing: same key and distinct ports share one address; a port collision is PortConflict naming the other Service', async () => {
    const shared = { ...group(G), 'purelb.io/allow-shared-ip': 'dns' };
    await t.createService('dns-tcp', { annotations: shared, ports: [{ port: 53, protocol: 'TCP' }] });
    const [ip] = ingressIps(await t.waitForAllocated('dns-tcp'));
    await t.createService('dns-udp', { annotations: shared, ports: [{ port: 53, protocol: 'UDP' }] });
    expect(ingressIps(await t.waitForAllocated('dns-udp'))).toEqual([ip]);
    await t.createService('dns-clash', { annotations: shared, ports: [{ port: 53, protocol: 'UDP' }] });
    const clash = await t.waitForReason('dns-clash', 'PortConflict');
    expect(allocatedCondition(clash)?.message).toContain('dns-udp');
    // the address is freed only when its last user goes
    await t.deleteService('dns-tcp');
    await t.deleteService('dns-udp');
    await t.createService('after-share', { annotations: { ...group(G), 'purelb.io/addresses': ip ?? '' } });
    await t.waitFor('after-share or dns-clash to get the freed address', async () => {
      const a = ingressIps(await t.getService('after-share'));
      const b = ingressIps(await t.getService('dns-clash'));
      return a.includes(ip ?? '') || b.includes(ip ?? '');
    });
  });

  it('keeps its addresses when unrelated Services come and go (idempotent)', async () => {
    await t.createService('steady', { annotations: group(G) });
    const before = ingressIps(await t.waitForAllocated('steady'));
    for (let i = 0; i < 5; i++) await t.createService(`churn-${i}`, { annotations: group(G) });
    for (let i = 0; i < 5; i++) await t.waitForAllocated(`churn-${i}`);
    for (let i = 0; i < 5; i++) await t.deleteService(`churn-${i}`);
    await t.createService('churn-end', { annotations: group(G) });
    await t.waitForAllocated('churn-end');
    expect(ingressIps(await t.getService('steady'))).toEqual(before);
    expect((await t.listEvents('steady')).filter((e) => e.reason === 'AddressAssigned')).toHaveLength(1);
  });
});
