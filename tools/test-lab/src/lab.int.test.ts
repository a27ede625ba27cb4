// The lab on the real kernel: topology as planned, reachability over IPv4 and IPv6, the API server
// relay with a real authenticated request from inside a node namespace, the second LAN, the router,
// two labs side by side, and a teardown that leaves nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { testKubeConfig, testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab } from './create-lab.ts';
import type { Lab } from './create-lab.ts';
import type { LabHost } from './lab-plan.ts';
import { readState } from './lab-state.ts';
import { isAlive, listNamespaces } from './namespaces.ts';
import { waitForGone } from './wait-for-gone.ts';

const LIST_NAMESPACES = join(import.meta.dirname, 'fixtures', 'list-namespaces.ts');

function apiServerUrl(): string {
  const server = testKubeConfig().getCurrentCluster()?.server;
  if (server === undefined) throw new Error('the test kubeconfig names no cluster');
  return server;
}

/** Every (from, to address) pair of `hosts` over both families, pinged at once; the ones that failed. */
async function unreachable(lab: Lab, hosts: readonly LabHost[]): Promise<string[]> {
  const pairs = hosts.flatMap((from) =>
    hosts.filter((to) => to !== from).flatMap((to) => [to.ipv4, to.ipv6].map((address) => ({ from, address }))),
  );
  const answered = await Promise.all(pairs.map(({ from, address }) => lab.ping(from, address)));
  return pairs.filter((_, i) => answered[i] !== true).map(({ from, address }) => `${from.name} -> ${address}`);
}

interface KernelAddress {
  readonly ifname: string;
  readonly address: string;
  readonly operstate: string;
  readonly addr_info: readonly { family: string; local: string; prefixlen: number; tentative?: boolean }[];
}

describe('a lab of three nodes and a client', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ nodes: 3, apiServer: apiServerUrl() });
  });

  afterAll(async () => {
    await lab.destroy();
  });

  it('has its namespaces, and each host the interfaces, MACs and addresses of the plan, usable at once', async () => {
    expect(listNamespaces()).toEqual(expect.arrayContaining([...lab.namespaces]));
    expect(lab.namespaces).toEqual([
      `plab-${lab.id}-lan`,
      `plab-${lab.id}-node-1`,
      `plab-${lab.id}-node-2`,
      `plab-${lab.id}-node-3`,
      `plab-${lab.id}-client`,
    ]);
    for (const host of lab.hosts) {
      const res = await lab.exec(host, ['ip', '-j', 'address', 'show', 'dev', host.interface]);
      expect(res.code).toBe(0);
      const [link] = JSON.parse(res.stdout) as KernelAddress[];
      expect(link).toMatchObject({ ifname: 'eth0', address: host.mac, operstate: 'UP' });
      const global = link!.addr_info.filter((a) => !a.local.startsWith('fe80'));
      expect(global.map((a) => `${a.local}/${a.prefixlen}`)).toEqual([`${host.ipv4}/24`, `${host.ipv6}/64`]);
      // DAD is off: no address waits before it can be used.
      expect(link!.addr_info.filter((a) => a.tentative === true)).toEqual([]);
    }
    const bridgePorts = await lab.exec(lab.namespaces[0]!, ['ip', '-br', 'link', 'show', 'master', 'br0']);
    expect(
      bridgePorts.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('@')[0]),
    ).toEqual(['n1-eth0', 'n2-eth0', 'n3-eth0', 'c-eth0']);
  });

  it('lets every node and the client reach every other over IPv4 and IPv6', async () => {
    expect(await unreachable(lab, lab.hosts)).toEqual([]);
  });

  it('gives a process in a node namespace the API server at its usual address, with the ordinary kubeconfig', async () => {
    for (const node of lab.nodes) {
      const res = await lab.exec(node, [process.execPath, LIST_NAMESPACES, testKubeconfigPath()]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const out = JSON.parse(res.stdout) as { server: string; names: string[] };
      expect(out.server).toBe(apiServerUrl());
      expect(out.names).toEqual(expect.arrayContaining(['default', 'purelb']));
    }
  });

  it('does not give the API server to namespaces without the relay (the client)', async () => {
    const res = await lab.exec(lab.client, [process.execPath, LIST_NAMESPACES, testKubeconfigPath()]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('ECONNREFUSED');
  });

  it('runs a spawned process inside the namespace, with its own PID', async () => {
    const child = lab.spawnIn(lab.nodes[1]!, ['sh', '-c', 'readlink /proc/self/ns/net; exec sleep 600'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) => {
      child.stdout?.once('data', (d: Buffer) => {
        resolve(String(d));
      });
    });
    const inside = await lab.exec(lab.nodes[1]!, ['readlink', '/proc/self/ns/net']);
    expect(line).toBe(inside.stdout);
    expect((await lab.exec(lab.nodes[0]!, ['readlink', '/proc/self/ns/net'])).stdout).not.toBe(line);
    const inNamespace = await lab.exec(lab.nodes[1]!, ['ip', 'netns', 'identify', String(child.pid)]);
    expect(inNamespace.stdout.trim()).toBe(lab.nodes[1]!.namespace);
  });

  it('refuses a namespace that is not the lab’s', async () => {
    await expect(async () => lab.exec('plab-elsewhere-node-1', ['true'])).rejects.toThrow(
      `plab-elsewhere-node-1 is not a namespace of lab ${lab.id}`,
    );
  });

  it('destroy() leaves no namespace, no process and no directory behind', async () => {
    const sleeper = lab.spawnIn(lab.nodes[2]!, ['sleep', '600'], { stdio: 'ignore' });
    const relay = readState(lab.dir)?.processes.find((p) => p.role === 'api-server-relay');
    expect(relay).toBeDefined();
    expect(isAlive(relay!.pid)).toBe(true);
    await lab.destroy();
    expect(listNamespaces().filter((ns) => ns.startsWith(`plab-${lab.id}-`))).toEqual([]);
    expect(isAlive(sleeper.pid!)).toBe(false);
    expect(isAlive(relay!.pid)).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
    // The watchdog notices its lab is gone and exits.
    expect(await waitForGone({ commandLineContains: lab.dir, timeoutMs: 5_000 })).toEqual([]);
    await lab.destroy(); // a second call does nothing
  });
});

describe('a lab with a second LAN and a router, beside another lab', () => {
  let lab: Lab;
  let other: Lab;

  beforeAll(async () => {
    [lab, other] = await Promise.all([
      createLab({ nodes: 4, secondLan: [2, 3], secondLanOnly: [4], router: true }),
      createLab({ nodes: 2 }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([lab.destroy(), other.destroy()]);
  });

  it('puts the second LAN on eth1 of the chosen nodes only', async () => {
    const [, second, third] = lab.nodes;
    const on2 = (n: LabHost): { ipv4: string; ipv6: string } => n.interfaces[1]!;
    expect(await lab.ping(second!, on2(third!).ipv4)).toBe(true);
    expect(await lab.ping(third!, on2(second!).ipv6)).toBe(true);
    expect(lab.nodes[0]!.interfaces).toHaveLength(1);
    const links = await lab.exec(lab.nodes[0]!, ['ip', '-br', 'link']);
    expect(links.stdout).not.toContain('eth1');
    // node 1 reaches the second LAN only through the router.
    expect(await lab.ping(lab.nodes[0]!, on2(third!).ipv4)).toBe(true);
    const route = await lab.exec(lab.nodes[0]!, ['ip', 'route', 'get', on2(third!).ipv4]);
    expect(route.stdout).toContain(`via ${lab.router!.ipv4} dev eth0`);
    const direct = await lab.exec(lab.nodes[1]!, ['ip', 'route', 'get', on2(third!).ipv4]);
    expect(direct.stdout).not.toContain('via');
    expect(direct.stdout).toContain('dev eth1');
  });

  it('puts a secondLanOnly node on LAN 2 alone: neighbours there, LAN 1 only through the router', async () => {
    const fourth = lab.nodes[3]!;
    const links = await lab.exec(fourth, ['ip', '-br', 'address', 'show', 'dev', 'eth0']);
    expect(links.stdout).toContain(`${fourth.ipv4}/24 ${fourth.ipv6}/64`);
    expect(fourth.ipv4).toBe('198.51.100.14');
    expect((await lab.exec(fourth, ['ip', '-br', 'link'])).stdout).not.toContain('eth1');
    expect(await lab.ping(fourth, lab.nodes[1]!.interfaces[1]!.ipv6)).toBe(true);
    expect(await lab.ping(fourth, lab.nodes[0]!.ipv4)).toBe(true);
    const route = await lab.exec(fourth, ['ip', 'route', 'get', lab.nodes[0]!.ipv4]);
    expect(route.stdout).toContain('via 198.51.100.1 dev eth0');
  });

  it('routes between the remote client and every LAN host over IPv4 and IPv6', async () => {
    const remote = lab.remoteClient!;
    const targets = [...lab.nodes, lab.client].flatMap((h) => h.interfaces.flatMap((i) => [i.ipv4, i.ipv6]));
    const answered = await Promise.all(targets.map((a) => lab.ping(remote, a)));
    expect(targets.filter((_, i) => answered[i] !== true)).toEqual([]);
    const route = await lab.exec(remote, ['ip', 'route', 'get', lab.nodes[0]!.ipv4]);
    expect(route.stdout).toContain(`via ${lab.router!.interfaces.at(-1)!.ipv4}`);
    expect(lab.remoteClient!.ipv4).toBe('203.0.113.200');
  });

  it('keeps the two labs apart although they use the same addresses', async () => {
    expect(other.nodes[0]!.ipv4).toBe(lab.nodes[0]!.ipv4);
    expect(await unreachable(other, other.hosts)).toEqual([]);
    // Taking a link down in one lab does not disturb the other.
    await other.exec(other.nodes[1]!, ['ip', 'link', 'set', 'eth0', 'down']);
    expect(await other.ping(other.nodes[0]!, other.nodes[1]!.ipv4)).toBe(false);
    expect(await lab.ping(lab.nodes[0]!, lab.nodes[1]!.ipv4)).toBe(true);
  });
});
