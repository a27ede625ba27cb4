import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseState } from './control-plane-state.ts';
import { killProcessNow } from './managed-process.ts';
import type { ProcessRecord } from './managed-process.ts';

// Control planes this process owns, by directory. When the process ends in any way Node notices
// (normal exit, process.exit, SIGINT, SIGTERM, SIGHUP), their processes are killed and their
// directories removed. The state file is read at that moment, so a kube-apiserver restarted by
// another process (a test worker) is found too. For the ends Node cannot notice (SIGKILL), a
// watchdog process does the same once this process is gone.
const owned = new Set<string>();

/** Processes started but not yet in state.json (during start): `<dir>/starting.json`. */
export function startingPath(dir: string): string {
  return join(dir, 'starting.json');
}

function recordsOf(dir: string): Pick<ProcessRecord, 'pid' | 'binary'>[] {
  const records: Pick<ProcessRecord, 'pid' | 'binary'>[] = [];
  const statePath = join(dir, 'state.json');
  if (existsSync(statePath)) {
    const parsed = parseState(readFileSync(statePath, 'utf8'));
    if (parsed.ok) records.push(parsed.value.apiServer, parsed.value.etcd);
  }
  if (existsSync(startingPath(dir))) {
    try {
      const starting = JSON.parse(readFileSync(startingPath(dir), 'utf8')) as unknown;
      if (Array.isArray(starting)) {
        for (const r of starting as { pid?: unknown; binary?: unknown }[]) {
          if (typeof r.pid === 'number' && typeof r.binary === 'string') records.push({ pid: r.pid, binary: r.binary });
        }
      }
    } catch {
      // a torn write: nothing to add
    }
  }
  return records;
}

/** Kills the control plane in `dir` at once (SIGKILL to every recorded process) and removes `dir`. */
export function destroyNow(dir: string): void {
  for (const record of recordsOf(dir)) killProcessNow(record);
  rmSync(dir, { recursive: true, force: true });
}
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function onExit(): void {
  for (const dir of owned) destroyNow(dir);
  owned.clear();
}

function onSignal(signal: (typeof SIGNALS)[number]): void {
  onExit();
  // Installing a listener took away Node's default "exit on signal"; give it back unless someone
  // else also listens and will decide.
  if (process.listenerCount(signal) <= 1) process.exit(EXIT_CODES[signal]);
}

const signalHandlers = new Map(
  SIGNALS.map(
    (s) =>
      [
        s,
        () => {
          onSignal(s);
        },
      ] as const,
  ),
);

const WATCHDOG = fileURLToPath(new URL(`./watchdog${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

function startWatchdog(dir: string): void {
  const child = spawn(process.execPath, [WATCHDOG, String(process.pid), dir], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined); // the exit handlers still cover the common cases
  child.unref();
}

/**
 * Kill the processes of the control plane in `dir` and remove `dir` if this process ends before it
 * stopped them. Call it as soon as `dir` exists: processes recorded later (in `state.json` or
 * `starting.json`) are found when it matters.
 */
export function cleanUpOnExit(dir: string): void {
  startWatchdog(dir);
  if (owned.size === 0) {
    process.on('exit', onExit);
    for (const [signal, handler] of signalHandlers) process.on(signal, handler);
  }
  owned.add(dir);
}

/** The control plane was stopped normally; forget it. */
export function forgetOnExit(dir: string): void {
  if (!owned.delete(dir) || owned.size > 0) return;
  process.off('exit', onExit);
  for (const [signal, handler] of signalHandlers) process.off(signal, handler);
}
