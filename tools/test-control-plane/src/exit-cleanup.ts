import { existsSync, rmSync } from 'node:fs';
import { parseState } from './control-plane-state.ts';
import { killProcessNow } from './managed-process.ts';
import { readFileSync } from 'node:fs';

// Control planes this process owns, by state path. When the process ends in any way Node notices
// (normal exit, process.exit, SIGINT, SIGTERM, SIGHUP), their processes are killed and their
// directories removed. The state file is read at that moment, so a kube-apiserver restarted by
// another process (a test worker) is found too.
const owned = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function cleanUpSync(statePath: string): void {
  if (!existsSync(statePath)) return;
  const parsed = parseState(readFileSync(statePath, 'utf8'));
  if (!parsed.ok) return;
  killProcessNow(parsed.value.apiServer);
  killProcessNow(parsed.value.etcd);
  rmSync(parsed.value.dir, { recursive: true, force: true });
}

function onExit(): void {
  for (const path of owned) cleanUpSync(path);
  owned.clear();
}

function onSignal(signal: (typeof SIGNALS)[number]): void {
  onExit();
  // Installing a listener took away Node's default "exit on signal"; give it back unless someone
  // else also listens and will decide.
  if (process.listenerCount(signal) <= 1) process.exit(EXIT_CODES[signal]);
}

const signalHandlers = new Map(SIGNALS.map((s) => [s, () => { onSignal(s); }] as const));

/** Kill this control plane's processes and remove its directory if this process ends first. */
export function cleanUpOnExit(statePath: string): void {
  if (owned.size === 0) {
    process.on('exit', onExit);
    for (const [signal, handler] of signalHandlers) process.on(signal, handler);
  }
  owned.add(statePath);
}

/** The control plane was stopped normally; forget it. */
export function forgetOnExit(statePath: string): void {
  if (!owned.delete(statePath) || owned.size > 0) return;
  process.off('exit', onExit);
  for (const [signal, handler] of signalHandlers) process.off(signal, handler);
}
