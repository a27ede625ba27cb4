// Nothing outlives a lab's owner, however it ends; the CLI's up/status/down; a plain refusal when
// not root.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { readState } from './lab-state.ts';
import { isAlive, listNamespaces } from './namespaces.ts';
import { waitForGone } from './wait-for-gone.ts';

const LAB_OWNER = join(import.meta.dirname, 'fixtures', 'lab-owner.ts');
const CLI = join(import.meta.dirname, 'cli.ts');

interface OwnerReport {
  readonly dir: string;
  readonly namespaces: readonly string[];
  readonly sleeperPid: number;
}

function apiServerUrl(): string {
  const server = testKubeConfig().getCurrentCluster()?.server;
  if (server === undefined) throw new Error('the test kubeconfig names no cluster');
  return server;
}

async function startOwner(): Promise<{ pid: number; report: OwnerReport }> {
  const child = spawn(process.execPath, [LAB_OWNER, apiServerUrl()], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => {
      reject(new Error(`the lab owner exited (${code}) before reporting`));
    });
  });
  child.stdout.destroy();
  return { pid: child.pid!, report: JSON.parse(line) as OwnerReport };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - start;
}

function runCli(args: readonly string[], options: { uid?: number; gid?: number } = {}): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
}

describe('a lab whose owner dies', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'by %s leaves no namespace, relay, process in a namespace, watchdog or directory',
    async (signal) => {
      const { pid, report } = await startOwner();
      const relay = readState(report.dir)?.processes.find((p) => p.role === 'api-server-relay');
      expect(relay).toBeDefined();
      expect(isAlive(relay!.pid)).toBe(true);
      expect(isAlive(report.sleeperPid)).toBe(true);
      expect(listNamespaces()).toEqual(expect.arrayContaining([...report.namespaces]));

      process.kill(pid, signal);
      const ms = await waitUntil(
        () => !existsSync(report.dir) && listNamespaces().every((ns) => !report.namespaces.includes(ns)),
        15_000,
      );
      console.log(JSON.stringify({ ownerEnd: signal, labGoneMs: Math.round(ms) }));
      expect(isAlive(relay!.pid)).toBe(false);
      expect(isAlive(report.sleeperPid)).toBe(false);
      expect(await waitForGone({ commandLineContains: report.dir, timeoutMs: 5_000 })).toEqual([]);
    },
  );
});

describe('npm run lab', () => {
  let keptId: string | undefined;
  afterAll(() => {
    if (keptId !== undefined) runCli(['down', '--id', keptId]);
  });

  it('up builds a lab that outlives the command; status lists it; down removes it', () => {
    const up = runCli(['up', '--nodes', '2', '--second-lan', '2', '--router', '--api-server', apiServerUrl()]);
    expect(up.stderr).toBe('');
    expect(up.status).toBe(0);
    const id = /^lab ([0-9a-f]{6}) \(directory (\S+)\)$/m.exec(String(up.stdout));
    expect(id).not.toBeNull();
    const [, labId, dir] = id!;
    keptId = labId;
    const namespaces = ['lan', 'node-1', 'node-2', 'client', 'router', 'remote'].map((n) => `plab-${labId!}-${n}`);
    expect(listNamespaces()).toEqual(expect.arrayContaining(namespaces));
    expect(String(up.stdout)).toMatch(
      new RegExp(
        `^plab-${labId!}-node-2 +eth0 192\\.0\\.2\\.12 2001:db8:1::12 02:00:01:00:00:0c; eth1 198\\.51\\.100\\.12 `,
        'm',
      ),
    );

    const status = runCli(['status']);
    expect(status.status).toBe(0);
    expect(String(status.stdout)).toContain(`lab ${labId!}: 6 namespaces, kept until down, processes `);

    const relay = readState(dir!)?.processes.find((p) => p.role === 'api-server-relay');
    expect(isAlive(relay!.pid)).toBe(true);
    const down = runCli(['down', '--id', labId!]);
    expect(down.status).toBe(0);
    expect(String(down.stderr)).toBe('removed 1 labs, 6 namespaces\n');
    expect(listNamespaces().filter((ns) => ns.startsWith(`plab-${labId!}-`))).toEqual([]);
    expect(existsSync(dir!)).toBe(false);
    return waitUntil(() => !isAlive(relay!.pid), 5_000);
  });

  it('down also deletes stray plab- namespaces that no lab directory accounts for', () => {
    const stray = `plab-stray${process.pid}-node-1`;
    expect(spawnSync('ip', ['netns', 'add', stray]).status).toBe(0);
    const sleeper = spawn('ip', ['netns', 'exec', stray, 'sleep', '600'], { stdio: 'ignore' });
    const down = runCli(['down', '--id', `stray${process.pid}`]);
    expect(String(down.stderr)).toBe('removed 0 labs, 1 namespaces\n');
    expect(listNamespaces()).not.toContain(stray);
    return waitUntil(() => !isAlive(sleeper.pid!), 5_000);
  });

  it('says plainly that it needs root, and builds nothing, when run as another user', () => {
    const before = listNamespaces();
    const res = runCli(['up'], { uid: 65534, gid: 65534 });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('the node lab needs root to create network namespaces; run it as root\n');
    expect(listNamespaces()).toEqual(before);
  });
});
