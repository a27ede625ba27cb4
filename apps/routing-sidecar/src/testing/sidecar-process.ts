// Runs the routing sidecar as a child process, as an operator would (for the lab's integration tests,
// the benchmark and the demo): inside a network namespace when a spawner is given. Keeps its JSON
// log lines and the rest of its output (BIRD's own log lines arrive on stderr).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseLogLine } from '@purelb/allocator/testing';
import type { LogLine } from '@purelb/allocator/testing';
import { DEFAULT_WAIT_MS, waitUntil } from '@purelb/test-control-plane';

const MAIN = join(import.meta.dirname, '..', `main${extname(import.meta.filename)}`);

export interface SidecarProcessOptions {
  readonly nodeName: string;
  readonly kubeconfigPath: string;
  /** Namespace of the routing ConfigMap. */
  readonly namespace: string;
  readonly configMap?: string;
  readonly hostIp?: string;
  /** Directory of the daemon's configuration and control socket. */
  readonly runDir: string;
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Every line of output is appended to this file. */
  readonly logFile?: string;
  /** Starts the command (e.g. `argv => lab.spawnIn(node, argv, …)`); default a plain child process. */
  readonly spawn?: (argv: readonly string[]) => ChildProcess;
}

export interface SidecarExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SidecarProcess {
  readonly child: ChildProcess;
  readonly nodeName: string;
  readonly logs: readonly LogLine[];
  /** Non-JSON output: stderr, including BIRD's log lines. */
  readonly otherOutput: readonly string[];
  /** The first log line matching (searching from `fromIndex`, default 0), waiting up to `timeoutMs`; rejects if the process ends first. */
  waitForLog(
    match: (line: LogLine) => boolean,
    options?: { readonly timeoutMs?: number; readonly fromIndex?: number },
  ): Promise<LogLine>;
  /** Sends `signal` (default SIGTERM), SIGKILL after `graceMs` (default 10 s). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<SidecarExit>;
  readonly exited: Promise<SidecarExit>;
}

export function sidecarArgs(options: SidecarProcessOptions): string[] {
  return [
    '--conditions=@purelb/source',
    MAIN,
    '--kubeconfig',
    options.kubeconfigPath,
    '--namespace',
    options.namespace,
    ...(options.configMap === undefined ? [] : ['--configmap', options.configMap]),
    '--node-name',
    options.nodeName,
    ...(options.hostIp === undefined ? [] : ['--host-ip', options.hostIp]),
    '--run-dir',
    options.runDir,
    '--log-level',
    options.logLevel ?? 'info',
  ];
}

export function startSidecarProcess(options: SidecarProcessOptions): SidecarProcess {
  const argv = [process.execPath, ...sidecarArgs(options)];
  const child = options.spawn?.(argv) ?? spawn(process.execPath, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const otherOutput: string[] = [];
  const file = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  const collect = (stream: NodeJS.ReadableStream | null, json: boolean): void => {
    if (stream === null) return;
    createInterface({ input: stream }).on('line', (text) => {
      file?.write(`${text}\n`);
      const line = json ? parseLogLine(text) : undefined;
      if (line === undefined) otherOutput.push(text);
      else logs.push(line);
    });
  };
  collect(child.stdout, true);
  collect(child.stderr, false);
  let ended: SidecarExit | undefined;
  // 'exit', not 'close': after a SIGKILL the orphaned BIRD still holds the stderr pipe open.
  const exited = new Promise<SidecarExit>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    });
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  void exited.then(() => {
    process.off('exit', killOnExit);
    file?.end();
  });
  const recent = (): string => [...otherOutput.slice(-20), ...logs.slice(-20).map((l) => JSON.stringify(l))].join('\n');
  const sent = new Set<NodeJS.Signals>();
  return {
    child,
    nodeName: options.nodeName,
    logs,
    otherOutput,
    exited,
    waitForLog: (match, waitOptions = {}) =>
      waitUntil<LogLine>(
        () => {
          const hit = logs.slice(waitOptions.fromIndex ?? 0).find(match);
          if (hit !== undefined) return { kind: 'done', value: hit };
          if (ended !== undefined)
            return {
              kind: 'failed',
              reason: `it exited (${ended.signal ?? `code ${String(ended.code)}`}); last output:\n${recent()}`,
            };
          return { kind: 'pending', reason: `no matching line yet; last output:\n${recent()}` };
        },
        {
          what: `a log line of the sidecar on ${options.nodeName}`,
          timeoutMs: waitOptions.timeoutMs ?? DEFAULT_WAIT_MS,
          intervalMs: 25,
        },
      ),
    stop: (signal = 'SIGTERM', graceMs = 10_000) => {
      if (ended === undefined && !sent.has(signal)) {
        sent.add(signal);
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        void exited.then(() => {
          clearTimeout(timer);
        });
      }
      return exited;
    },
  };
}
