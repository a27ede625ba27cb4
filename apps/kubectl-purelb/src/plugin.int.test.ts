// kubectl-purelb as an operator runs it (the launcher in bin/, a kubeconfig file) against the real API
// server, with the real allocator giving the Services their addresses. The node agents' membership
// Leases and announcing annotations are written here as the agents write them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAllocatorProcess, stopAndReport } from '@purelb/allocator/testing';
import type { AllocatorProcess } from '@purelb/allocator/testing';
import { electWinner } from '@purelb/election';
import { createKubeClient, expectOk, testNamespaceName, waitFor } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const launcher = join(import.meta.dirname, '..', 'bin', 'kubectl-purelb.mjs');
let api: KubeClient;
let kubeconfig = '';
let install = '';
let ns = '';
let allocator: AllocatorProcess | undefined;
const work = mkdtempSync(join(tmpdir(), 'purelb-plugin-'));

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs the plugin with this test's kubeconfig and install namespace. */
function plugin(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [launcher, ...args, '--kubeconfig', kubeconfig, '--install-namespace', install],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: work },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out, err });
    });
  });
}

async function namespace(prefix: string): Promise<string> {
  const name = testNamespaceName(prefix);
  expectOk(
    await api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'purelb.io/test': 'true' } },
    }),
    name,
  );
  return name;
}

async function createGroup(name: string, local: unknown): Promise<void> {
  const body = { apiVersion: 'purelb.io/v1', kind: 'ServiceGroup', metadata: { name }, spec: { local } };
  expectOk(await api.post(`/apis/purelb.io/v1/namespaces/${install}/servicegroups`, body), `create group ${name}`);
}

async function createService(
  name: string,
  annotations: Record<string, string>,
  ports: { port: number; protocol?: string }[] = [{ port: 80 }],
): Promise<void> {
  const body = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, annotations },
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      selector: { app: name },
      ports: ports.map((p, i) => ({ name: `p${i}`, port: p.port, protocol: p.protocol ?? 'TCP' })),
    },
  };
  expectOk(await api.post(`/api/v1/namespaces/${ns}/services`, body), `create Service ${name}`);
}

async function reasonOf(name: string): Promise<string | undefined> {
  const r = await api.get(`/api/v1/namespaces/${ns}/services/${name}`);
  const conditions =
    (r.body as { status?: { conditions?: { type: string; reason: string }[] } }).status?.conditions ?? [];
  return conditions.find((c) => c.type === 'purelb.io/Allocated')?.reason;
}

async function memberLease(node: string, subnets: string, renewedAgoMs: number): Promise<void> {
  const body = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: `purelb-node-${node}`, annotations: { 'purelb.io/subnets': subnets } },
    spec: {
      holderIdentity: node,
      leaseDurationSeconds: 3600,
      renewTime: new Date(Date.now() - renewedAgoMs).toISOString().replace('Z', '000Z'),
    },
  };
  expectOk(
    await api.post(`/apis/coordination.k8s.io/v1/namespaces/${install}/leases`, body),
    `create Lease of ${node}`,
  );
}

const WEB = { 'purelb.io/service-group': 'web' };
const SHARED = { 'purelb.io/service-group': 'shared', 'purelb.io/allow-shared-ip': 'dns' };
// The winner of 192.0.2.17 among the two live nodes, as every agent elects it.
const election = electWinner({
  address: '192.0.2.17',
  candidates: ['node-1', 'node-2'].map((name) => ({ name, subnets: ['192.0.2.16/29'], live: true })),
});
const winner = election.ok ? election.value.winner : '';

beforeAll(async () => {
  kubeconfig = testKubeconfigPath();
  api = await createKubeClient(kubeconfig);
  install = await namespace('plugin-install');
  ns = await namespace('plugin');
  await createGroup('web', { avoidBuggyIPs: true, v4pools: [{ pool: '192.0.2.16/30', subnet: '192.0.2.16/30' }] });
  await createGroup('shared', { v4pools: [{ pool: '198.51.100.64/30', subnet: '198.51.100.0/24' }] });
  allocator = startAllocatorProcess({
    kubeconfigPath: kubeconfig,
    namespace: install,
    identity: 'plugin-allocator',
    ownProcessGroup: false,
  });
  await allocator.waitForLog((l) => l.event === 'allocating', 60_000);
  for (const name of ['web-1', 'web-2', 'web-3']) {
    await createService(name, WEB);
    await waitFor(`${name} decided`, async () => (await reasonOf(name)) !== undefined);
  }
  await createService('dns-tcp', SHARED, [{ port: 53 }]);
  await createService('dns-udp', SHARED, [{ port: 53, protocol: 'UDP' }]);
  await createService('dns-clash', SHARED, [{ port: 53 }]);
  await createService('lost', { 'purelb.io/service-group': 'nowhere' });
  for (const [name, reason] of [
    ['dns-udp', 'Allocated'],
    ['dns-clash', 'PortConflict'],
    ['lost', 'GroupNotFound'],
  ] as const) {
    await waitFor(`${name} ${reason}`, async () => (await reasonOf(name)) === reason);
  }
  await memberLease('node-1', '192.0.2.16/29,2001:db8::/64', 1000);
  await memberLease('node-2', '192.0.2.16/29', 2000);
  await memberLease('node-3', '192.0.2.16/29', 2 * 3600_000);
  expectOk(
    await api.patch(`/api/v1/namespaces/${ns}/services/web-1`, {
      metadata: { annotations: { 'purelb.io/announcing-IPv4': `${winner},eth0` } },
    }),
    'announce web-1',
  );
}, 120_000);

afterAll(async () => {
  const report = allocator === undefined ? undefined : await stopAndReport(allocator);
  for (const name of ['web-1', 'web-2', 'web-3', 'dns-tcp', 'dns-udp', 'dns-clash', 'lost'])
    await api.delete(`/api/v1/namespaces/${ns}/services/${name}`);
  api.close();
  rmSync(work, { recursive: true, force: true });
  expect(report?.exit).toEqual({ code: 0, signal: null });
}, 60_000);

describe('kubectl purelb', () => {
  it('pools: usage per group and pool, human and exact', async () => {
    const table = await plugin('pools');
    expect(table.err).toBe('');
    expect(table.code).toBe(0);
    const lines = table.out
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/ {2,}/));
    expect(lines[0]).toEqual([
      'GROUP',
      'READY',
      'REASON',
      'FAMILY',
      'POOL',
      'IN USE',
      'CAPACITY',
      'FREE',
      'USED',
      'KEPT BACK',
    ]);
    expect(lines.slice(1)).toEqual([
      ['shared', 'True', 'Valid', 'IPv4', '198.51.100.64/30', '1', '4', '3', '25.0%'],
      // .16 (network) and .19 (broadcast) kept back: two addresses, both given; the third Service waits.
      ['web', 'False', 'PoolExhausted', 'IPv4', '192.0.2.16/30', '2', '2', '0', '100%', 'avoidBuggyIPs'],
    ]);
    const json = JSON.parse((await plugin('pools', '-o', 'json')).out) as {
      group: string;
      pools: { capacity: string; inUse: string }[];
    }[];
    expect(json.find((g) => g.group === 'web')?.pools).toEqual([
      expect.objectContaining({ capacity: '2', inUse: '2', available: '0' }),
    ]);
  });

  it('services: address, group, announcing node, reasons; -n and --pending', async () => {
    const r = await plugin('services', '-n', ns);
    expect(r.code).toBe(0);
    const rows = r.out
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/ {2,}/));
    expect(rows[0]).toEqual(['SERVICE', 'ADDRESSES', 'GROUP', 'ANNOUNCING', 'ALLOCATED', 'ANNOUNCED']);
    const byName = new Map(rows.slice(1).map((row) => [row[0], row.slice(1)]));
    expect(byName.get(`${ns}/web-1`)).toEqual(['192.0.2.17', 'web', `${winner}/eth0`, 'Allocated', '-']);
    expect(byName.get(`${ns}/web-3`)).toEqual(['-', '-', '-', 'PoolExhausted (False)', '-']);
    expect(byName.get(`${ns}/dns-udp`)).toEqual(['198.51.100.64', 'shared', '-', 'Allocated', '-']);
    expect(rows).toHaveLength(8);
    const pending = await plugin('services', '-n', ns, '--pending', '-o', 'wide');
    expect(
      pending.out
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/ {2,}/)[0]),
    ).toEqual([`${ns}/dns-clash`, `${ns}/lost`, `${ns}/web-3`]);
    expect(pending.out).toContain('no free IPv4 address left in service group "web"');
  });

  it('explain: a full group, with the pool and what to do', async () => {
    const r = await plugin('explain', `${ns}/web-3`);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Group "web"\n  valid\n  IPv4 pool 192.0.2.16/30 (keeps addresses back): 2 of 2 in use, 0 free',
    );
    expect(r.out).toContain('Why pending\n  PoolExhausted: no free IPv4 address left in service group "web"');
  });

  it('explain: a port conflict names the conflicting Service and the sharing key', async () => {
    const r = await plugin('explain', 'dns-clash', '-n', ns);
    expect(r.out).toContain('sharing key "dns" (purelb.io/allow-shared-ip)');
    expect(r.out).toMatch(
      /Why pending\n {2}PortConflict: .*\n {2}conflicting Service: [-\w]+\/dns-tcp \(shows 198\.51\.100\.64, sharing key "dns", TCP\/53\)/,
    );
    expect(r.out).toContain(`Sharing key "dns"\n  shared with ${ns}/dns-tcp`);
  });

  it('explain: a missing group, and a Service that does not exist', async () => {
    expect((await plugin('explain', `${ns}/lost`)).out).toContain(
      `Group "nowhere"\n  there is no ServiceGroup "nowhere" in namespace ${install}`,
    );
    const none = await plugin('explain', `${ns}/nope`);
    expect(none.code).toBe(1);
    expect(none.out).toContain('not found');
  });

  it('explain: which node announces a local address, the election ranking and who is not live', async () => {
    const r = await plugin('explain', `${ns}/web-1`);
    expect(r.out).toContain('Decision\n  holds 192.0.2.17 from group "web": nothing is pending');
    const section = r.out.slice(r.out.indexOf('Announcement of 192.0.2.17 (IPv4)'));
    const ranking = election.ok ? election.value.ranking.map((c) => c.node) : [];
    expect(section).toMatch(
      new RegExp(`1\\. ${ranking[0] ?? ''} [0-9a-f]{12} {2}<- winner\\n {4}2\\. ${ranking[1] ?? ''} `),
    );
    expect(section).toMatch(/- {2}node-3: not live \(its Lease expired \d+ s ago\)/);
    expect(section).toContain(`purelb.io/announcing-IPv4 says ${winner} on eth0 (agrees with the election)`);
  });

  it('validate: offline, the file alone; with the kubeconfig, against the live groups', async () => {
    const file = join(work, 'groups.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata: { name: more }\nspec: { local: { v4pools: [ { pool: 192.0.2.16/29, subnet: 192.0.2.16/29 } ] } }',
        'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata: { name: v6 }\nspec: { local: { v6pool: { pool: 2001:db8:5::/64, subnet: 2001:db8:5::/64, exclude: [2001:db8:5::1] } } }',
      ].join('\n---\n'),
    );
    const offline = await plugin('validate', file, '--offline');
    expect(offline.out).toBe(
      `ServiceGroup "more" (${file}#1): valid\nServiceGroup "v6" (${file}#2): valid\nchecked offline (no cluster)\n`,
    );
    expect(offline.code).toBe(0);
    const live = await plugin('validate', file);
    expect(live.code).toBe(1);
    expect(live.out).toContain(
      `ServiceGroup "more" (${file}#1): Overlap\n  spec.local.v4pools[0].pool: pool 192.0.2.16-192.0.2.23 contains pool 192.0.2.16-192.0.2.19 of group "web"`,
    );
    expect(live.out).toContain("checked against the live cluster's groups");
  });

  it('version: the plugin, and what the cluster runs', async () => {
    const r = await plugin('version');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^kubectl-purelb \\d+\\.\\d+\\.\\d+ \\(Node\\.js ${process.versions.node}\\)\\ncluster: no PureLB workload in namespace ${install}\\n$`,
      ),
    );
  });

  it('says what is wrong with a kubeconfig or a command line', async () => {
    const bad = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [launcher, 'pools', '--kubeconfig', join(work, 'missing')], {
        env: { PATH: process.env['PATH'] ?? '' },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => {
        resolve({ code, out: '', err });
      });
    });
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/^kubectl-purelb: cannot use the kubeconfig .*missing \(from --kubeconfig\): cannot read/);
    const usage = await plugin('pools', '--output', 'yaml');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--output must be table, wide or json (got "yaml")');
  });
});
