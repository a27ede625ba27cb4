// `demo.ts --once` end to end: its own control plane, the real allocator as a child process, the
// sample Services; the printed table must show each one allocated as the sample asks.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARING_KEY, SPECIFIC_ADDRESS } from './sample-services.ts';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemoOnce(): Promise<Run> {
  const demo = join(import.meta.dirname, 'demo.ts');
  const child = spawn(process.execPath, ['--conditions=@purelb/source', demo, '--once', '--wait', '90'], {
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

describe('npm run demo -- --once', () => {
  it('prints every sample Service with the addresses its annotations and families ask for, then cleans up', async () => {
    const run = await runDemoOnce();
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
  }, 300_000);
});
