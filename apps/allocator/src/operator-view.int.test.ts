// What an operator sees of the allocator on a real API server: pools that keep addresses back, a full
// group that does not read Ready True (in `kubectl get sg`'s Table, too), and the gauge of pending
// Services, which a new leader shows at once although it saw none of them become pending.
import { describe, expect, it } from 'vitest';
import type { AllocatorProcess } from './testing/allocator-process.ts';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, ingressIps, readyCondition } from './testing/fixtures.ts';
import type { TestCluster } from './testing/fixtures.ts';

// Each test makes its own install namespace and allocators: an allocator reads every Service of the
// cluster, so one per test keeps each test's Services (and the pending gauge) its own.
const t = useAllocatorScene({ name: 'opview', allocator: 'none' });

/** A fresh install namespace and Service namespace with one allocator leading in it. */
async function withAllocator(prefix: string): Promise<TestCluster> {
  const c = await t.fresh(prefix);
  const p = t.spawn(`${prefix}-1`, { install: c.install });
  await p.waitForLog((l) => l.event === 'allocating', t.budget());
  return c;
}
const group = (name: string) => ({ 'purelb.io/service-group': name });
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Table {
  readonly columnDefinitions: readonly { readonly name: string; readonly priority: number }[];
  readonly rows: readonly { readonly cells: readonly unknown[] }[];
}

/** The columns `kubectl get sg NAME` prints (priority 0), as `Column=value`. */
async function printed(c: TestCluster, name: string): Promise<string[]> {
  const r = await c.api.get(`/apis/purelb.io/v1/namespaces/${c.install}/servicegroups/${name}`, { accept: TABLE });
  const table = r.body as Table;
  const cells = table.rows[0]?.cells ?? [];
  return table.columnDefinitions.flatMap((col, i) =>
    col.priority === 0 && col.name !== 'Age' ? [`${col.name}=${String(cells[i])}`] : [],
  );
}

async function metricsText(p: AllocatorProcess): Promise<string> {
  const port = await p.port(t.budget());
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

describe('pools that keep addresses back', () => {
  it('hand out neither the subnet ends nor excluded addresses, count exactly, and refuse them by name', async () => {
    const c = await withAllocator('opview-kept');
    await c.createGroup('kept', {
      v4pools: [
        {
          pool: '192.0.2.160/29',
          subnet: '192.0.2.160/29',
          avoidBuggyIPs: true,
          exclude: ['192.0.2.162', '192.0.2.164-192.0.2.165'],
        },
      ],
    });
    const g = await c.waitForGroup('kept', 'counted', (x) => x.status?.v4?.capacity !== undefined);
    // 8 addresses, minus .160 (network), .167 (broadcast), .162, .164 and .165.
    expect(g.status?.v4).toEqual({ capacity: '3', allocated: '0', available: '3' });
    for (const name of ['k-0', 'k-1', 'k-2']) await c.createService(name, { annotations: group('kept') });
    const shown = await Promise.all(['k-0', 'k-1', 'k-2'].map(async (n) => ingressIps(await c.waitForAllocated(n))));
    expect(shown.flat().sort()).toEqual(['192.0.2.161', '192.0.2.163', '192.0.2.166']);

    await c.createService('k-excluded', { annotations: { ...group('kept'), 'purelb.io/addresses': '192.0.2.164' } });
    const refused = await c.waitForReason('k-excluded', 'AddressNotInPool');
    expect(ingressIps(refused)).toEqual([]);
  });
});

describe('a full group', () => {
  it('reads Ready False PoolExhausted in kubectl get sg, with human usage, and Ready True again once an address is free', async () => {
    const c = await withAllocator('opview-full');
    await c.createGroup('tiny', { v4pools: [{ pool: '198.51.100.200/31', subnet: '198.51.100.0/24' }] });
    await c.waitForGroup('tiny', 'Ready', (x) => readyCondition(x)?.status === 'True');
    expect(await printed(c, 'tiny')).toEqual(['Name=tiny', 'Ready=True', 'Reason=Valid', 'IPv4=0/2', 'IPv6=-']);

    for (const name of ['t-0', 't-1', 't-2']) await c.createService(name, { annotations: group('tiny') });
    await c.waitForAllocated('t-0');
    await c.waitForAllocated('t-1');
    await c.waitForReason('t-2', 'PoolExhausted');
    const full = await c.waitForGroup('tiny', 'exhausted', (x) => readyCondition(x)?.reason === 'PoolExhausted');
    expect(readyCondition(full)).toMatchObject({
      status: 'False',
      message: 'no free IPv4 address left (IPv4 2 of 2 in use); 1 pool(s) in use',
    });
    expect(await printed(c, 'tiny')).toEqual([
      'Name=tiny',
      'Ready=False',
      'Reason=PoolExhausted',
      'IPv4=2/2',
      'IPv6=-',
    ]);
    const events = await c.waitForEvent('tiny', 'PoolExhausted', { install: true });
    expect(events.filter((e) => e.reason === 'PoolExhausted')).toHaveLength(1);

    await c.deleteService('t-0');
    await c.waitForAllocated('t-2');
    await c.waitForGroup('tiny', 'full again', (x) => x.status?.usage?.v4 === '2/2');
    await c.deleteService('t-1');
    const freed = await c.waitForGroup('tiny', 'Ready again', (x) => readyCondition(x)?.status === 'True');
    expect(freed.status?.usage).toEqual({ v4: '1/2', v6: '-' });
  });
});

describe('monitoring', () => {
  it('a new leader exports the Services pending now by reason; the standby exports none', async () => {
    const c = await t.fresh('opview-ha');
    await c.createGroup('one', { v4pools: [{ pool: '203.0.113.250/32', subnet: '203.0.113.0/24' }] });
    const a = t.spawn('gauge-a', { install: c.install });
    await a.waitForLog((l) => l.event === 'allocating', t.budget());
    const b = t.spawn('gauge-b', { install: c.install });
    await b.waitForLog((l) => l.event === 'cache-synced', t.budget());
    for (const name of ['p-0', 'p-1', 'p-2']) await c.createService(name, { annotations: group('one') });
    await c.createService('p-lost', { annotations: group('missing') });
    await c.waitForAllocated('p-0');
    await c.waitForReason('p-2', 'PoolExhausted');
    await c.waitForReason('p-lost', 'GroupNotFound');
    const line = (reason: string, n: number): string => `purelb_allocator_services_pending{reason="${reason}"} ${n}`;
    await c.waitFor('the leader to export the pending Services', async () => {
      const text = await metricsText(a);
      return text.includes(line('PoolExhausted', 2)) && text.includes(line('GroupNotFound', 1));
    });
    expect(await metricsText(b)).not.toContain('purelb_allocator_services_pending{');

    await a.stop('SIGKILL');
    await b.waitForLog((l) => l.event === 'allocating', t.budget());
    const text = await c.waitFor('the new leader to export the pending Services', async () => {
      const body = await metricsText(b);
      const all = [line('PoolExhausted', 2), line('GroupNotFound', 1), 'purelb_allocator_group_ready{group="one"} 0'];
      return all.every((l) => body.includes(l)) ? body : undefined;
    });
    expect(text).toContain(line('AddressInUse', 0));
    expect(text).toContain('purelb_allocator_group_ready{group="one"} 0');
    expect(text).toContain('purelb_allocator_pool_addresses_in_use{group="one",family="IPv4",pool="203.0.113.250"} 1');
    expect(text).toContain('purelb_allocator_leader 1');
    // The new leader wrote nothing to these Services: their conditions already said the truth.
    expect(b.logs.filter((l) => l.event === 'allocation-failed')).toEqual([]);
    expect(allocatedCondition(await c.getService('p-1'))?.reason).toBe('PoolExhausted');
  });
});
