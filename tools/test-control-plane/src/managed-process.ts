import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** A process the control plane runs: enough to restart it and to recognise it later by PID. */
export interface ProcessRecord {
  readonly pid: number;
  readonly binary: string;
  readonly args: readonly string[];
  readonly logPath: string;
}

/** A process started here, and how it ended if it ended while this Node process watched it. */
export interface StartedProcess {
  readonly record: ProcessRecord;
  /** The exit, once it happened (`undefined` while running). */
  exited(): { readonly code: number | null; readonly signal: string | null } | undefined;
}

/**
 * Starts `binary` in a process group of its own (so a Ctrl-C of the test run does not reach it and a
 * whole group can be killed), output appended to `logPath`, not holding this Node process open.
 */
export async function startProcess(binary: string, args: readonly string[], logPath: string): Promise<StartedProcess> {
  const out = openSync(logPath, 'a');
  let exit: { code: number | null; signal: string | null } | undefined;
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', out, out] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
    });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${binary} started without a PID`);
    return { record: { pid, binary, args, logPath }, exited: () => exit };
  } finally {
    closeSync(out);
  }
}

/** Whether `pid` is a live (not zombie) process running `binary`; guards against PID reuse. */
export function isRunning(record: Pick<ProcessRecord, 'pid' | 'binary'>): boolean {
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    const argv0 = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === record.binary;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

async function waitGone(record: ProcessRecord, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (isRunning(record)) {
    if (performance.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * Stops a process started by `startProcess`: SIGTERM to its group, SIGKILL after `graceMs`, then
 * waits until it is gone. Does nothing when the PID no longer runs `binary`.
 */
export async function stopProcess(record: ProcessRecord, graceMs: number): Promise<void> {
  if (!isRunning(record)) return;
  signalGroup(record.pid, 'SIGTERM');
  if (await waitGone(record, graceMs)) return;
  signalGroup(record.pid, 'SIGKILL');
  if (!(await waitGone(record, 5_000))) throw new Error(`${record.binary} (PID ${record.pid}) survived SIGKILL`);
}

/** SIGKILL to the process's group, without waiting; for exit handlers. */
export function killProcessNow(record: Pick<ProcessRecord, 'pid' | 'binary'>): void {
  if (isRunning(record)) signalGroup(record.pid, 'SIGKILL');
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(path: string, lines = 30): string {
  try {
    const all = readFileSync(path, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
