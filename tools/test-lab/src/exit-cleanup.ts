import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { destroyLabNow } from './destroy-lab.ts';

// Labs this process owns, by directory. When the process ends in any way Node notices (normal exit,
// process.exit, SIGINT, SIGTERM, SIGHUP), they are destroyed. For the ends Node cannot notice
// (SIGKILL), a detached watchdog process does the same once this process is gone.
const owned = new Set<string>();

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type CleanupSignal = (typeof SIGNALS)[number];
const EXIT_CODES: Record<CleanupSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function onExit(): void {
  for (const dir of owned) destroyLabNow(dir);
  owned.clear();
}

function onSignal(signal: CleanupSignal): void {
  onExit();
  // Listening took away Node's default "exit on signal"; give it back unless someone else listens.
  if (process.listenerCount(signal) <= 1) process.exit(EXIT_CODES[signal]);
}

const signalHandlers = new Map(
  SIGNALS.map((signal) => [
    signal,
    () => {
      onSignal(signal);
    },
  ]),
);

const WATCHDOG = fileURLToPath(new URL(`./watchdog${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

function startWatchdog(dir: string): void {
  const child = spawn(process.execPath, [WATCHDOG, String(process.pid), dir], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined); // the exit handlers still cover the common cases
  child.unref();
}

/**
 * Destroy the lab in `dir` if this process ends before `forgetOnExit(dir)`. Call it as soon as `dir`
 * exists, before the first namespace: whatever `state.json` lists when it matters is removed.
 */
export function cleanUpOnExit(dir: string): void {
  startWatchdog(dir);
  if (owned.size === 0) {
    process.on('exit', onExit);
    for (const [signal, handler] of signalHandlers) process.on(signal, handler);
  }
  owned.add(dir);
}

/** The lab was destroyed normally; forget it. */
export function forgetOnExit(dir: string): void {
  if (!owned.delete(dir) || owned.size > 0) return;
  process.off('exit', onExit);
  for (const [signal, handler] of signalHandlers) process.off(signal, handler);
}
