// The BIRD daemon as the sidecar drives it: one process per node, started by the sidecar with its own
// configuration file and control socket, reloaded with `birdc configure` (sessions whose settings did
// not change stay up), stopped with SIGTERM (BIRD says goodbye to its peers, which withdraw at once).
// A candidate configuration is checked with `bird -p` before it replaces the running one, so a text
// the daemon would refuse never reaches it.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BirdPaths {
  /** The `bird` executable. */
  readonly bird: string;
  /** The `birdc` executable. */
  readonly birdc: string;
  /** Directory of the configuration file (`bird.conf`) and the control socket (`bird.ctl`). */
  readonly runDir: string;
}

export type DaemonFailureCode = 'ConfigRejected' | 'StartFailed' | 'ReloadFailed';

export interface DaemonFailure {
  readonly code: DaemonFailureCode;
  readonly message: string;
}

export type DaemonResult = { readonly ok: true } | { readonly ok: false; readonly error: DaemonFailure };

export interface DaemonExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface BirdDaemon {
  readonly configPath: string;
  readonly socketPath: string;
  /** Checks the text, replaces the configuration file, then starts the daemon or reloads it. */
  apply(text: string): Promise<DaemonResult>;
  /** Stops the daemon this sidecar started (SIGTERM, SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Called once if the daemon ends without `stop` having been called. */
  onUnexpectedExit(listener: (exit: DaemonExit) => void): void;
}

interface CommandResult {
  readonly ok: boolean;
  readonly output: string;
}

function run(file: string, args: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      resolve({ ok: error === null, output: error !== null && output === '' ? error.message : output });
    });
  });
}

/** `birdc configure` says `Reconfigured`, `Reconfiguration in progress` or `… queueing new config` when it took the file. */
const RECONFIGURED = /Reconfigured|Reconfiguration in progress|queueing new config/;

export function createBirdDaemon(paths: BirdPaths): BirdDaemon {
  const configPath = join(paths.runDir, 'bird.conf');
  const socketPath = join(paths.runDir, 'bird.ctl');
  const candidatePath = join(paths.runDir, 'bird.conf.candidate');
  let child: ChildProcess | undefined;
  let exited: Promise<DaemonExit> | undefined;
  let stopping = false;
  /** The text the daemon runs, put back in the file when a reload fails. */
  let running: string | undefined;
  const listeners: ((exit: DaemonExit) => void)[] = [];

  const birdc = (...args: string[]): Promise<CommandResult> => run(paths.birdc, ['-s', socketPath, ...args]);

  /** A daemon left behind at our socket (e.g. by a sidecar that was killed) is asked to go first. */
  const retireStray = async (): Promise<void> => {
    if (!(await birdc('show', 'status')).ok) return;
    await birdc('down');
    for (let i = 0; i < 100 && (await birdc('show', 'status')).ok; i++) await sleep(50);
  };

  const start = async (): Promise<DaemonResult> => {
    await retireStray();
    const proc = spawn(paths.bird, ['-f', '-c', configPath, '-s', socketPath], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = proc;
    const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
    exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        resolve({ code, signal });
        if (!stopping) for (const l of listeners) l({ code, signal });
      });
    });
    // Ready when the control socket answers; gone when the process ends or cannot start.
    for (let i = 0; i < 200; i++) {
      const early = await Promise.race([
        exited.then((e) => `it exited (${e.signal ?? `code ${String(e.code)}`})`),
        spawnError.then((e) => e.message),
        sleep(50).then(() => undefined),
      ]);
      if (early !== undefined) {
        child = undefined;
        return { ok: false, error: { code: 'StartFailed', message: `bird did not start: ${early}` } };
      }
      if ((await birdc('show', 'status')).ok) return { ok: true };
    }
    return { ok: false, error: { code: 'StartFailed', message: `bird did not answer on ${socketPath} within 10 s` } };
  };

  const reload = async (): Promise<DaemonResult> => {
    const answer = await birdc('configure');
    if (RECONFIGURED.test(answer.output)) return { ok: true };
    return { ok: false, error: { code: 'ReloadFailed', message: `birdc configure failed: ${answer.output}` } };
  };

  return {
    configPath,
    socketPath,
    apply: async (text) => {
      mkdirSync(dirname(configPath), { recursive: true });
      writeFileSync(candidatePath, text, { mode: 0o600 });
      const check = await run(paths.bird, ['-p', '-c', candidatePath]);
      if (!check.ok)
        return {
          ok: false,
          error: { code: 'ConfigRejected', message: `bird refused the configuration: ${check.output}` },
        };
      renameSync(candidatePath, configPath);
      const outcome = child === undefined ? await start() : await reload();
      if (outcome.ok) running = text;
      else if (running !== undefined) writeFileSync(configPath, running, { mode: 0o600 });
      return outcome;
    },
    stop: async (graceMs = 5000) => {
      stopping = true;
      const proc = child;
      if (proc === undefined || exited === undefined) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    onUnexpectedExit: (listener) => {
      listeners.push(listener);
    },
  };
}
