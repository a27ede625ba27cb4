// Runs the node agent as a child process, exactly as an operator would start it (for the lab's
// integration tests, the demo and the benchmark): inside a network namespace when a spawner is
// given. Reads its JSON log lines, keeps them, and stops it again.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** This package's entry point, as source or as built JavaScript, whichever this file is. */
const MAIN = join(import.meta.dirname, '..', `main${extname(import.meta.filename)}`);

/** One JSON log line of the agent. */
export interface AgentLogLine {
  readonly event?: string;
  /** `fatal`, `error`, `warn`, `info` or `debug`. */
  readonly level?: string;
  readonly [field: string]: unknown;
}

export interface AgentProcessOptions {
  readonly nodeName: string;
  readonly kubeconfigPath: string;
  /** Install namespace (`--namespace`). */
  readonly namespace: string;
  /** `--lease-duration` (default the agent's: 3s). */
  readonly leaseDuration?: string;
  /** `--log-level`. Default `info`. */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Appended to the command line. */
  readonly extraArgs?: readonly string[];
  /** Every line the agent prints is appended to this file. */
  readonly logFile?: string;
  /** Starts the command (e.g. inside a lab namespace); default: a plain child process. */
  readonly spawn?: (argv: readonly string[]) => ChildProcess;
  /** The entry point to run. Default: this package's `main`. */
  readonly mainPath?: string;
  /** Options for Node itself, before the entry point (e.g. the image's V8 flags). */
  readonly nodeArgs?: readonly string[];
  /**
   * Resolve the workspace's packages to their TypeScript sources (`--conditions=@purelb/source`).
   * Default true; false runs a built `mainPath` on the built libraries, as the image does.
   */
  readonly sourceCondition?: boolean;
}

export interface AgentExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AgentProcess {
  readonly child: ChildProcess;
  readonly nodeName: string;
  /** Every JSON line printed on stdout so far. */
  readonly logs: readonly AgentLogLine[];
  /** Lines of stdout that were not JSON objects, and all lines of stderr. */
  readonly otherOutput: readonly string[];
  /** The first log line matching, waiting up to `timeoutMs` (default 60 s); rejects if the process ends first. */
  waitForLog(match: (line: AgentLogLine) => boolean, timeoutMs?: number): Promise<AgentLogLine>;
  /** Sends `signal` (default SIGTERM), SIGKILL after `graceMs` (default 10 s); resolves with how it ended. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<AgentExit>;
  readonly exited: Promise<AgentExit>;
}

/** The agent's command line (after the Node executable). */
export function agentArgs(options: AgentProcessOptions): string[] {
  return [
    ...(options.nodeArgs ?? []),
    ...(options.sourceCondition === false ? [] : ['--conditions=@purelb/source']),
    options.mainPath ?? MAIN,
    '--node-name',
    options.nodeName,
    '--kubeconfig',
    options.kubeconfigPath,
    '--namespace',
    options.namespace,
    '--listen',
    '127.0.0.1:0',
    ...(options.leaseDuration === undefined ? [] : ['--lease-duration', options.leaseDuration]),
    '--log-level',
    options.logLevel ?? 'info',
    ...(options.extraArgs ?? []),
  ];
}

function parseLine(text: string): AgentLogLine | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as AgentLogLine)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the agent. It is killed if this process exits first. */
export function startAgentProcess(options: AgentProcessOptions): AgentProcess {
  const argv = [process.execPath, ...agentArgs(options)];
  const child =
    options.spawn?.(argv) ?? spawn(argv[0] ?? process.execPath, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const name = `agent ${options.nodeName}`;
  const logs: AgentLogLine[] = [];
  const otherOutput: string[] = [];
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      log?.write(`${text}\n`);
      const line = parseLine(text);
      if (line === undefined) otherOutput.push(text);
      else logs.push(line);
    });
  }
  if (child.stderr !== null) {
    createInterface({ input: child.stderr }).on('line', (text) => {
      log?.write(`${text}\n`);
      otherOutput.push(text);
    });
  }
  let ended: AgentExit | undefined;
  const exited = new Promise<AgentExit>((resolve) => {
    child.once('close', (code, signal) => {
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
    log?.end();
  });

  const recent = (): string => [...otherOutput.slice(-20), ...logs.slice(-20).map((l) => JSON.stringify(l))].join('\n');
  const waitForLog = async (match: (line: AgentLogLine) => boolean, timeoutMs = 60_000): Promise<AgentLogLine> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = logs.find(match);
      if (hit !== undefined) return hit;
      if (ended !== undefined)
        throw new Error(
          `${name} exited (${ended.signal ?? `code ${String(ended.code)}`}) before the awaited log line; last output:\n${recent()}`,
        );
      if (performance.now() > deadline)
        throw new Error(`${name}: no matching log line within ${timeoutMs} ms; last output:\n${recent()}`);
      await sleep(20);
    }
  };
  const sent = new Set<NodeJS.Signals>();
  const stop = (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<AgentExit> => {
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
  return { child, nodeName: options.nodeName, logs, otherOutput, waitForLog, stop, exited };
}
