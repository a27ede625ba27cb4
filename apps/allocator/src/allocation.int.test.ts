// The allocator as a real process against a real API server: the Service rules of SPEC §3–§4.
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
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
  deleteAllServices,
  deleteService,
  getService,
  ingressIps,
  listEvents,
  patchService,
  waitFor,
  waitForAllocated,
  waitForEvent,
  waitForReason,
} from './testing/fixtures.ts';

let api: KubeClient;
let install: string;
let ns: string;
let allocator: AllocatorProcess;
const G = 'alloc-main';
const SMALL = 'alloc-small';
const group = (name: string) => ({ 'purelb.io/service-group': name });

beforeAll(async () => {
  const kubeconfigPath = testKubeconfigPath();
  api = await createTestApi(kubeconfigPath);
  install = await createNamespace(api, 'alloc-install');
  ns = await createNamespace(api, 'alloc');
  await createGroup(api, install, G, { v4pools: [{ pool: '192.0.2.10-192.0.2.40', subnet: '192.0.2.0/24' }] });
  await createGroup(api, install, SMALL, { v4pools: [{ pool: '198.51.100.1/32', subnet: '198.51.100.0/24' }] });
  allocator = spawnAllocator({ kubeconfigPath, namespace: install, identity: 'alloc-1' });
  await allocator.waitForLog((l) => l.event === 'allocating');
});

afterAll(async () => {
  const { exit, crashes } = await stopAndReport(allocator);
  await deleteAllServices(api, ns);
  api.close();
  expect(crashes).toEqual([]);
  expect(exit).toEqual({ code: 0, signal: null });
});

describe('allocator process', () => {
  it('serves /healthz, /readyz and /metrics on the bound port', async () => {
    const port = await allocator.port();
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await waitFor('readyz', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      return r.status === 200 ? r.text() : undefined;
    });
    expect(ready).toContain('leader');
    await createService(api, ns, 'metrics-probe', { annotations: group(G) });
    await waitForAllocated(api, ns, 'metrics-probe');
    const text = await waitFor('metrics with the group gauge', async () => {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return body.includes(`purelb_allocator_pool_capacity{group="${G}",family="IPv4"} 31`) ? body : undefined;
    });
    expect(text).toContain('purelb_allocator_leader 1');
    expect(text).toMatch(/purelb_allocator_allocations_total\{group="alloc-main"\} [1-9]/);
    expect(text).toContain('purelb_allocator_reconcile_duration_seconds_bucket');
    expect(text).toContain('purelb_allocator_watch_restarts_total');
  });

  it('gives a LoadBalancer Service an address: ingress with ipMode VIP, annotations, condition, one AddressAssigned Event', async () => {
    await createService(api, ns, 'web', { annotations: group(G) });
    const svc = await waitForAllocated(api, ns, 'web');
    const [ip] = ingressIps(svc);
    expect(ip).toMatch(/^192\.0\.2\.\d+$/);
    expect(svc.status?.loadBalancer?.ingress).toEqual([{ ip, ipMode: 'VIP' }]);
    expect(svc.metadata?.annotations).toMatchObject({
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': G,
      'purelb.io/pool-type': 'local',
    });
    expect(allocatedCondition(svc)).toMatchObject({ status: 'True', reason: 'Allocated' });
    const events = await waitForEvent(api, ns, 'web', 'AddressAssigned');
    expect(events.filter((e) => e.reason === 'AddressAssigned')).toHaveLength(1);
    expect(events.find((e) => e.reason === 'AddressAssigned')?.message).toContain(ip);
  });

  it('ignores Services of another class and non-LoadBalancer Services entirely', async () => {
    await createService(api, ns, 'foreign', { annotations: group(G), loadBalancerClass: 'example.com/other' });
    await createService(api, ns, 'plain', { annotations: group(G), type: 'ClusterIP' });
    await createService(api, ns, 'explicit-class', { annotations: group(G), loadBalancerClass: 'purelb.io/purelb' });
    await waitForAllocated(api, ns, 'explicit-class');
    // The allocator handles keys one by one in arrival order; by now it has seen the earlier two.
    for (const name of ['foreign', 'plain']) {
      const svc = await getService(api, ns, name);
      expect(ingressIps(svc)).toEqual([]);
      expect(allocatedCondition(svc)).toBeUndefined();
      expect(Object.keys(svc?.metadata?.annotations ?? {}).filter((k) => k.startsWith('purelb.io/allocated'))).toEqual([]);
      expect(await listEvents(api, ns, name)).toEqual([]);
    }
  });

  it('honours purelb.io/addresses (whitespace tolerated) and spec.loadBalancerIP with a DeprecatedField Event', async () => {
    await createService(api, ns, 'pinned', { annotations: { ...group(G), 'purelb.io/addresses': ' 192.0.2.33 ' } });
    expect(ingressIps(await waitForAllocated(api, ns, 'pinned'))).toEqual(['192.0.2.33']);
    await createService(api, ns, 'legacy', { loadBalancerIP: '192.0.2.34' });
    expect(ingressIps(await waitForAllocated(api, ns, 'legacy'))).toEqual(['192.0.2.34']);
    const events = await waitForEvent(api, ns, 'legacy', 'DeprecatedField');
    expect(events.find((e) => e.reason === 'DeprecatedField')?.type).toBe('Normal');
    // the address chose the group without a group annotation
    expect((await getService(api, ns, 'legacy'))?.metadata?.annotations?.['purelb.io/allocated-from']).toBe(G);
  });

  it.each([
    ['unknown group', { 'purelb.io/service-group': 'no-such-group' }, 'GroupNotFound'],
    ['malformed addresses', { ...group(G), 'purelb.io/addresses': '192.0.2.300' }, 'InvalidAnnotation'],
    ['two addresses of one family', { ...group(G), 'purelb.io/addresses': '192.0.2.35,192.0.2.36' }, 'InvalidAnnotation'],
    ['address outside every pool', { ...group(G), 'purelb.io/addresses': '203.0.113.99' }, 'AddressNotInPool'],
    ['address in use', { ...group(G), 'purelb.io/addresses': '192.0.2.33' }, 'AddressInUse'],
  ])('%s → condition False with that reason and exactly one Warning Event', async (_name, annotations, reason) => {
    const name = `bad-${reason.toLowerCase()}-${Object.keys(annotations).length}${_name.length}`;
    await createService(api, ns, name, { annotations });
    const svc = await waitForReason(api, ns, name, reason);
    expect(allocatedCondition(svc)?.status).toBe('False');
    expect(ingressIps(svc)).toEqual([]);
    const events = await waitForEvent(api, ns, name, reason);
    // A later, unrelated change to the Service must not repeat the Event.
    await patchService(api, ns, name, { metadata: { labels: { touched: 'yes' } } });
    await createService(api, ns, `${name}-after`, { annotations: group(G) });
    await waitForAllocated(api, ns, `${name}-after`);
    const again = await listEvents(api, ns, name);
    const warnings = again.filter((e) => e.reason === reason);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.type).toBe('Warning');
    expect(warnings[0]?.count ?? 1).toBe(1);
    expect(events.filter((e) => e.reason === reason)).toHaveLength(1);
  });

  it('a full pool leaves a Service pending (PoolExhausted); deleting the holder unblocks it at once', async () => {
    await createService(api, ns, 'small-a', { annotations: group(SMALL) });
    expect(ingressIps(await waitForAllocated(api, ns, 'small-a'))).toEqual(['198.51.100.1']);
    await createService(api, ns, 'small-b', { annotations: group(SMALL) });
    await waitForReason(api, ns, 'small-b', 'PoolExhausted');
    await deleteService(api, ns, 'small-a');
    expect(ingressIps(await waitForAllocated(api, ns, 'small-b'))).toEqual(['198.51.100.1']);
  });

  it('a type change away from LoadBalancer clears ingress, annotations and condition, and frees the address', async () => {
    await createService(api, ns, 'changer', { annotations: { ...group(G), 'purelb.io/addresses': '192.0.2.39' } });
    await waitForAllocated(api, ns, 'changer');
    await patchService(api, ns, 'changer', { spec: { type: 'ClusterIP', allocateLoadBalancerNodePorts: null } });
    const cleared = await waitFor('changer to be cleared', async () => {
      const svc = await getService(api, ns, 'changer');
      const ann = svc?.metadata?.annotations ?? {};
      return ingressIps(svc).length === 0 && allocatedCondition(svc) === undefined && !('purelb.io/allocated-by' in ann) && !('purelb.io/allocated-from' in ann) && !('purelb.io/pool-type' in ann)
        ? svc
        : undefined;
    });
    expect(cleared.spec?.type).toBe('ClusterIP');
    await waitForEvent(api, ns, 'changer', 'AddressReleased');
    await createService(api, ns, 'taker', { annotations: { ...group(G), 'purelb.io/addresses': '192.0.2.39' } });
    expect(ingressIps(await waitForAllocated(api, ns, 'taker'))).toEqual(['192.0.2.39']);
  });

  it('sharing: same key and distinct ports share one address; a port collision is PortConflict naming the other Service', async () => {
    const shared = { ...group(G), 'purelb.io/allow-shared-ip': 'dns' };
    await createService(api, ns, 'dns-tcp', { annotations: shared, ports: [{ port: 53, protocol: 'TCP' }] });
    const [ip] = ingressIps(await waitForAllocated(api, ns, 'dns-tcp'));
    await createService(api, ns, 'dns-udp', { annotations: shared, ports: [{ port: 53, protocol: 'UDP' }] });
    expect(ingressIps(await waitForAllocated(api, ns, 'dns-udp'))).toEqual([ip]);
    await createService(api, ns, 'dns-clash', { annotations: shared, ports: [{ port: 53, protocol: 'UDP' }] });
    const clash = await waitForReason(api, ns, 'dns-clash', 'PortConflict');
    expect(allocatedCondition(clash)?.message).toContain('dns-udp');
    // the address is freed only when its last user goes
    await deleteService(api, ns, 'dns-tcp');
    await deleteService(api, ns, 'dns-udp');
    await createService(api, ns, 'after-share', { annotations: { ...group(G), 'purelb.io/addresses': ip ?? '' } });
    await waitFor('after-share or dns-clash to get the freed address', async () => {
      const a = ingressIps(await getService(api, ns, 'after-share'));
      const b = ingressIps(await getService(api, ns, 'dns-clash'));
      return a.includes(ip ?? '') || b.includes(ip ?? '') ? true : undefined;
    });
  });

  it('keeps its addresses when unrelated Services come and go (idempotent)', async () => {
    const before = ingressIps(await getService(api, ns, 'web'));
    for (let i = 0; i < 5; i++) await createService(api, ns, `churn-${i}`, { annotations: group(G) });
    for (let i = 0; i < 5; i++) await waitForAllocated(api, ns, `churn-${i}`);
    for (let i = 0; i < 5; i++) await deleteService(api, ns, `churn-${i}`);
    await createService(api, ns, 'churn-end', { annotations: group(G) });
    await waitForAllocated(api, ns, 'churn-end');
    expect(ingressIps(await getService(api, ns, 'web'))).toEqual(before);
    expect((await listEvents(api, ns, 'web')).filter((e) => e.reason === 'AddressAssigned')).toHaveLength(1);
  });
});
