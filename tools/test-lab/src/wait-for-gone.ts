// Waiting until no process's command line contains a string: for tests that check a teardown left
// no process behind (e.g. a watchdog, found by its lab directory).
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './namespaces.ts';

/** PIDs of live processes whose command line (arguments joined by spaces) contains `text`. */
export function processesMatching(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(text) && isAlive(pid)) pids.push(pid);
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

/** Resolves with the matching PIDs still alive after `timeoutMs` (`[]` as soon as there are none). */
export async function waitForGone(options: {
  readonly commandLineContains: string;
  readonly timeoutMs: number;
}): Promise<number[]> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const pids = processesMatching(options.commandLineContains);
    if (pids.length === 0 || performance.now() >= deadline) return pids;
    await sleep(50);
  }
}
