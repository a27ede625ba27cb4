// Network namespaces by name, through `ip netns`, synchronously: teardown runs in exit handlers and
// in the watchdog, where nothing asynchronous is allowed to finish.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function ip(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Every named network namespace (`ip netns list`). */
export function listNamespaces(): string[] {
  const res = ip(['netns', 'list']);
  if (res.code !== 0) return [];
  // Lines look like `name` or `name (id: 3)`.
  return res.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

/** The PIDs of the processes inside namespace `ns` (`ip netns pids`). */
export function pidsIn(ns: string): number[] {
  const res = ip(['netns', 'pids', ns]);
  if (res.code !== 0) return [];
  return res.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 1);
}

/** Whether `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/**
 * SIGKILLs every process inside `ns`, then deletes the namespace's name (its interfaces go with it).
 * Returns the PIDs it killed.
 */
export function deleteNamespace(ns: string): number[] {
  const killed: number[] = [];
  // A process may fork while we kill; a few rounds catch its children.
  for (let round = 0; round < 3; round++) {
    const pids = pidsIn(ns).filter((pid) => pid !== process.pid);
    if (pids.length === 0) break;
    for (const pid of pids) kill(pid, 'SIGKILL');
    killed.push(...pids);
  }
  if (listNamespaces().includes(ns)) ip(['netns', 'delete', ns]);
  return killed;
}

/** SIGKILLs `pid` if it still runs `argv0` (a guard against PID reuse); whether it did. */
export function killIfRunning(record: { readonly pid: number; readonly argv0: string }): boolean {
  try {
    const argv0 = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0')[0];
    if (argv0 !== record.argv0 || !isAlive(record.pid)) return false;
  } catch {
    return false;
  }
  kill(record.pid, 'SIGKILL');
  return true;
}
