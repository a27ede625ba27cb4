// `demo.ts --once --failover` end to end: its own control plane, the real allocator as a child process,
// the sample Services; the printed table must show each one allocated as the sample asks. As root, the
// labs come first: every address announced by one node that the client reaches, a failover, a virtual
// address in the router's table reached from the remote client, and no lab namespace left behind.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { labSupport, NAMESPACE_PREFIX } from '@purelb/test-lab';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARING_KEY, SPECIFIC_ADDRESS } from './sample-services.ts';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemoOnce(): Promise<Run> {
  const demo = join(import.meta.dirname, 'demo.ts');
  const child = spawn(process.execPath, ['--conditions=@purelb/source', demo, '--once', '--failover', '--wait', '90'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

interface Row {
  readonly addresses: readonly string[];
  readonly group: string;
  readonly condition: string;
}

function tableRows(stdout: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('demo/')) continue;
    const [service = '', addresses = '', group = '', condition = ''] = line.split(/\s{2,}/);
    rows.set(service.slice('demo/'.length), {
      addresses: addresses === '-' ? [] : addresses.split(', '),
      group,
      condition,
    });
  }
  return rows;
}

const v4ToNumber = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const inV4Range = (a: string, from: string, to: string): boolean =>
  isIP(a) === 4 && v4ToNumber(a) >= v4ToNumber(from) && v4ToNumber(a) <= v4ToNumber(to);

describe('npm run demo -- --once --failover', () => {
  const support = labSupport();
  let run: Run = { code: null, stdout: '', stderr: '' };
  beforeAll(async () => {
    run = await runDemoOnce();
  }, 300_000);

  it.runIf(support.ok)('as root: announcers, client reachability, a failover and the routed virtual address', () => {
    expect(run.code, run.stderr).toBe(0);
    // SERVICE  ADDRESS  ANNOUNCED BY (node,interface)  CLIENT TCP CONNECT :8080
    const announced = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('lbna-lab-'))
      .map((l) => l.split(/\s{2,}/));
    expect(announced.map(([service = '']) => service.replace(/^[^/]*\//, ''))).toEqual([
      'web-ipv4',
      'web-ipv6',
      'web-dual',
      'web-dual',
    ]);
    for (const [service, address = '', announcer = '', reached = ''] of announced) {
      expect(isIP(address), `${service} ${address}`).toBeGreaterThan(0);
      const node = /^(\w+-node-\d+),eth0$/.exec(announcer)?.[1];
      expect(node, `${service} ${announcer}`).toBeDefined();
      expect(reached, `${service} ${address}`).toBe(`answered by ${node ?? ''}`);
    }
    const failover =
      /^ {2}(\S+) now announced by (\S+),eth0 after [\d.]+ s; client TCP connect answered by (\S+) after [\d.]+ s\.$/m.exec(
        run.stdout,
      );
    expect(failover, run.stdout).not.toBeNull();
    const [, moved = '', newNode = '', answered = ''] = failover ?? [];
    const firstRow = announced[0] ?? [];
    expect(moved).toBe(firstRow[1]);
    expect(newNode).not.toBe(firstRow[2]?.split(',')[0]);
    expect(answered).toBe(newNode);

    const routed = /got (198\.51\.100\.\d+); the router learned it over BGP from 3 nodes/.exec(run.stdout)?.[1];
    expect(routed, run.stdout).toBeDefined();
    expect(run.stdout).toContain(`${routed ?? ''}/32 `);
    const hops = /^Next hops: (.*)\.$/m.exec(run.stdout)?.[1]?.split(', ') ?? [];
    expect(hops).toHaveLength(3);
    for (const hop of hops) expect(hop).toMatch(/^192\.0\.2\.\d+ \(\w+-node-\d\)$/);
    expect(new Set(hops.map((h) => h.split(' ')[1])).size).toBe(3);
    expect(run.stdout).toMatch(/Remote client \(behind the router\) TCP connect \S+: answered by \w+-node-\d$/m);

    // Nothing of the labs is left: their namespaces carry the lab id the node names start with.
    const ids = new Set([...run.stdout.matchAll(/\b(\w+)-node-\d\b/g)].map((m) => m[1]));
    expect(ids.size).toBe(2);
    const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    for (const id of ids) expect(left).not.toContain(`${NAMESPACE_PREFIX}${id ?? ''}-`);
  });

  it.runIf(!support.ok)('without root or network namespaces: says why in one line and runs the allocator alone', () => {
    expect(run.stderr).toMatch(/^Skipping the node lab: .*\. Allocator only\.$/m);
    expect(run.stdout).not.toContain('ANNOUNCED BY');
  });

  it('prints every sample Service with the addresses its annotations and families ask for, then cleans up', () => {
    expect(run.code, run.stderr).toBe(0);
    const rows = tableRows(run.stdout);
    expect([...rows.keys()].sort()).toEqual([
      'dual-prefer',
      'dual-require',
      'ipv4-single',
      'ipv6-single',
      'shared-dns',
      'shared-web',
      'specific-address',
      'virtual-web',
    ]);
    for (const [name, row] of rows) {
      expect(row.condition, name).toBe('Allocated (True)');
      expect(row.addresses.length, name).toBeGreaterThan(0);
    }
    const row = (name: string): Row => rows.get(name) ?? { addresses: [], group: '', condition: '' };
    const inDefaultV4 = (a: string): boolean => inV4Range(a, '192.0.2.240', '192.0.2.250');
    const inDefaultV6 = (a: string): boolean => isIP(a) === 6 && a.startsWith('2001:db8:0:8100:');

    expect(row('ipv4-single').addresses).toHaveLength(1);
    expect(inDefaultV4(row('ipv4-single').addresses[0] ?? '')).toBe(true);
    expect(row('ipv6-single').addresses).toHaveLength(1);
    expect(inDefaultV6(row('ipv6-single').addresses[0] ?? '')).toBe(true);
    for (const name of ['dual-require', 'dual-prefer']) {
      const [v4 = '', v6 = ''] = row(name).addresses;
      expect(row(name).addresses, name).toHaveLength(2);
      expect(inDefaultV4(v4), `${name} ${v4}`).toBe(true);
      expect(inDefaultV6(v6), `${name} ${v6}`).toBe(true);
    }
    expect(row('specific-address').addresses).toEqual([SPECIFIC_ADDRESS]);
    expect(row('virtual-web').group).toBe('virtual');
    expect(inV4Range(row('virtual-web').addresses[0] ?? '', '198.51.100.16', '198.51.100.31')).toBe(true);
    // Sharing key `demo-shared`: one address for both.
    expect(SHARING_KEY).toBe('demo-shared');
    expect(row('shared-web').addresses).toHaveLength(1);
    expect(row('shared-dns').addresses).toEqual(row('shared-web').addresses);
    for (const name of [
      'ipv4-single',
      'ipv6-single',
      'dual-require',
      'dual-prefer',
      'specific-address',
      'shared-web',
      'shared-dns',
    ]) {
      expect(row(name).group, name).toBe('default');
    }
    // No address is given to two Services, except the shared one.
    const all = [...rows.entries()].filter(([n]) => n !== 'shared-dns').flatMap(([, r]) => r.addresses);
    expect(new Set(all).size).toBe(all.length);

    // The instructions, and nothing left behind.
    const kubeconfig = /^ {2}export KUBECONFIG=(\S+)$/m.exec(run.stdout)?.[1];
    expect(kubeconfig).toBeDefined();
    expect(existsSync(kubeconfig ?? '/')).toBe(false);
    const caFile = /--cacert (\S+)/.exec(run.stdout)?.[1];
    expect(caFile).toBeDefined();
    expect(existsSync(caFile ?? '/')).toBe(false);
    expect(run.stderr).toContain('Stopped; temporary files removed.');
  });
});
