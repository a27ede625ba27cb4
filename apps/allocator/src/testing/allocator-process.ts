// Runs the allocator as a child process, exactly as an operator would start it: for integration
// tests, the demo and the benchmark. Reads its JSON log lines, keeps them, and stops it again.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_WAIT_MS, waitUntil } from '@purelb/test-control-plane';

/** This package's entry point, as source or as built JavaScript, whichever this file is. */
const MAIN = join(import.meta.dirname, '..', `main${extname(import.meta.filename)}`);

/** One JSON log line of the allocator. */
export interface LogLine {
  readonly event?: string;
  /** `fatal`, `error`, `warn`, `info` or `debug`. */
  readonly level?: string;
  readonly [field: string]: unknown;
}

export type AllocatorLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Leadership timings (`--lease-duration`, `--renew-deadline`, `--retry-period`). */
export interface LeadershipTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

export interface AllocatorProcessOptions {
  readonly kubeconfigPath: string;
  /** Install namespace (`--namespace`). */
  readonly namespace: string;
  /** `--identity`; the allocator's own default when absent. */
  readonly identity?: string;
  /** `--log-level`. Default `info`. */
  readonly logLevel?: AllocatorLogLevel;
  /** The allocator's defaults when absent. */
  readonly leadership?: LeadershipTimings;
  /** Appended to the command line. */
  readonly extraArgs?: readonly string[];
  /** Every line the allocator prints (stdout and stderr) is appended to this file. */
  readonly logFile?: string;
  /**
   * A process group of its own (default true): Ctrl-C in a terminal reaches only the parent, which
   * then stops the allocator in order.
   */
  readonly ownProcessGroup?: boolean;
  /** The entry point to run. Default: this package's `main`. */
  readonly mainPath?: string;
  /** Options for Node itself, before the entry point (e.g. `--import` of a module of the test's). */
  readonly nodeArgs?: readonly string[];
  /**
   * Resolve the workspace's packages to their TypeScript sources (`--conditions=@purelb/source`).
   * Default true; false runs a built `mainPath` on the built libraries, as the image does.
   */
  readonly sourceCondition?: boolean;
}

/** How the process ended. */
export interface AllocatorExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AllocatorProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly identity: string | undefined;
  /** Every JSON line printed on stdout so far. */
  readonly logs: readonly LogLine[];
  /** Lines of stdout that were not JSON objects, and all lines of stderr. */
  readonly otherOutput: readonly string[];
  /** The port of /metrics, /healthz and /readyz on 127.0.0.1, from the `listening` event. */
  port(timeoutMs?: number): Promise<number>;
  /** The first log line matching, waiting up to `timeoutMs` (default 60 s); rejects at once if the process ends first. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /**
   * Sends `signal` (default SIGTERM), then SIGKILL if the process has not ended after `graceMs`
   * (default 10 s); resolves with how it ended. Each signal is sent once; safe to call again (e.g.
   * with SIGKILL to hurry it) and after the end.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<AllocatorExit>;
  readonly exited: Promise<AllocatorExit>;
}

/** The bound port of the allocator's `listening` log event; undefined for any other line. */
export function listeningPort(line: LogLine): number | undefined {
  if (line.event !== 'listening') return undefined;
  const port = line.port;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/** A JSON object log line, or undefined for anything else. */
export function parseLogLine(text: string): LogLine | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as LogLine) : undefined;
  } catch {
    return undefined;
  }
}

/** The allocator's command line (after the Node executable). */
export function allocatorArgs(options: AllocatorProcessOptions): string[] {
  const timings = options.leadership;
  return [
    ...(options.nodeArgs ?? []),
    ...(options.sourceCondition === false ? [] : ['--conditions=@purelb/source']),
    options.mainPath ?? MAIN,
    '--kubeconfig',
    options.kubeconfigPath,
    '--namespace',
    options.namespace,
    ...(options.identity === undefined ? [] : ['--identity', options.identity]),
    '--listen',
    '127.0.0.1:0',
    ...(timings === undefined
      ? []
      : [
          '--lease-duration',
          String(timings.leaseDurationMs),
          '--renew-deadline',
          String(timings.renewDeadlineMs),
          '--retry-period',
          String(timings.retryPeriodMs),
        ]),
    '--log-level',
    options.logLevel ?? 'info',
    ...(options.extraArgs ?? []),
  ];
}

/** Starts the allocator; `port()` tells when it listens. It is killed if this process exits first. */
export function startAllocatorProcess(options: AllocatorProcessOptions): AllocatorProcess {
  const child = spawn(process.execPath, allocatorArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: '' },
    detached: options.ownProcessGroup ?? true,
  });
  const name = options.identity === undefined ? 'the allocator' : `allocator ${options.identity}`;
  const logs: LogLine[] = [];
  const otherOutput: string[] = [];
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  createInterface({ input: child.stdout }).on('line', (text) => {
    log?.write(`${text}\n`);
    const line = parseLogLine(text);
    if (line === undefined) otherOutput.push(text);
    else logs.push(line);
  });
  createInterface({ input: child.stderr }).on('line', (text) => {
    log?.write(`${text}\n`);
    otherOutput.push(text);
  });

  let ended: AllocatorExit | undefined;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<AllocatorExit>((resolve) => {
    child.once('close', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    });
  });
  // Never leave a daemon behind when this process ends without stopping it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  void exited.then(() => {
    process.off('exit', killOnExit);
    log?.end();
  });

  const recentOutput = (): string =>
    [...otherOutput.slice(-20), ...logs.slice(-20).map((l) => JSON.stringify(l))].join('\n');

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<LogLine> =>
    waitUntil<LogLine>(
      () => {
        const hit = logs.find(match);
        if (hit !== undefined) return { kind: 'done', value: hit };
        if (spawnError !== undefined)
          return { kind: 'failed', reason: `it could not be started: ${spawnError.message}` };
        if (ended !== undefined) {
          return {
            kind: 'failed',
            reason: `it exited (${ended.signal ?? `code ${String(ended.code)}`}) before the awaited log line; last output:\n${recentOutput()}`,
          };
        }
        return { kind: 'pending', reason: `no matching line yet; last output:\n${recentOutput()}` };
      },
      { what: `a log line of ${name}`, timeoutMs, intervalMs: 25 },
    );

  // A signal goes out once: the allocator takes a second SIGTERM as "quit at once".
  const sent = new Set<NodeJS.Signals>();
  const stop = (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<AllocatorExit> => {
    if (ended === undefined && !sent.has(signal)) {
      sent.add(signal);
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      void exited.then(() => {
        clearTimeout(timer);
      });
    }
    return exited;
  };

  return {
    child,
    pid: child.pid ?? 0,
    identity: options.identity,
    logs,
    otherOutput,
    port: async (timeoutMs?: number) => {
      const line = await waitForLog((l) => listeningPort(l) !== undefined, timeoutMs);
      return listeningPort(line) ?? 0;
    },
    waitForLog,
    stop,
    exited,
  };
}

/** Stops the allocator and says how it ended and which crash lines (unhandled rejections, uncaught exceptions) it logged. */
export async function stopAndReport(
  p: AllocatorProcess,
  signal?: NodeJS.Signals,
): Promise<{ exit: AllocatorExit; crashes: LogLine[] }> {
  const crashes = p.logs.filter((l) => l.event === 'unhandled-rejection' || l.event === 'uncaught-exception');
  return { exit: await p.stop(signal), crashes };
}
