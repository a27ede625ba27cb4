// Runs the allocator as a real child process (for integration tests) and reads its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MAIN = join(import.meta.dirname, '..', 'main.ts');

export interface LogLine {
  readonly event?: string;
  readonly level?: number;
  readonly [field: string]: unknown;
}

export interface AllocatorProcessOptions {
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly extraArgs?: readonly string[];
}

export interface AllocatorProcess {
  readonly child: ChildProcess;
  readonly identity: string;
  /** Every JSON line printed so far. */
  readonly logs: readonly LogLine[];
  /** Lines of stdout that were not JSON, and all of stderr. */
  readonly otherOutput: readonly string[];
  /** The metrics/health port, from the `listening` event. */
  port(): Promise<number>;
  /** Resolves with the first log line matching, waiting up to `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends a signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnAllocator(options: AllocatorProcessOptions): AllocatorProcess {
  const args = [
    '--conditions=@purelb/source',
    MAIN,
    '--kubeconfig',
    options.kubeconfigPath,
    '--namespace',
    options.namespace,
    '--identity',
    options.identity,
    '--listen',
    '127.0.0.1:0',
    '--lease-duration',
    String(options.leaseDurationMs ?? 3000),
    '--renew-deadline',
    String(options.renewDeadlineMs ?? 2000),
    '--retry-period',
    String(options.retryPeriodMs ?? 300),
    '--log-level',
    'debug',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
  const logs: LogLine[] = [];
  const otherOutput: string[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      // Set PURELB_TEST_LOG_DIR to keep each allocator's log lines for a look after the run.
      const dir = process.env.PURELB_TEST_LOG_DIR;
      if (dir !== undefined && dir !== '') appendFileSync(join(dir, `${options.identity}.log`), `${line}\n`);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        otherOutput.push(line);
      }
      nl = buffered.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    otherOutput.push(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  let done = false;
  // Never leave a daemon behind when the test process ends without stopping it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => {
    done = true;
    process.off('exit', killOnExit);
  });

  const waitForLog = async (match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = logs.find(match);
      if (hit !== undefined) return hit;
      if (done) throw new Error(`allocator ${options.identity} exited before the awaited log line; output: ${otherOutput.join('').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`allocator ${options.identity}: no matching log line within ${timeoutMs} ms`);
      await sleep(50);
    }
  };

  return {
    child,
    identity: options.identity,
    logs,
    otherOutput,
    port: async () => {
      const line = await waitForLog((l) => l.event === 'listening');
      return Number(line.port);
    },
    waitForLog,
    stop: async (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
      return exited;
    },
    exited,
  };
}

/** Stops the allocator and says how it ended and which crash lines (unhandled rejections, uncaught exceptions) it logged. */
export async function stopAndReport(
  p: AllocatorProcess,
  signal?: NodeJS.Signals,
): Promise<{ exit: { code: number | null; signal: NodeJS.Signals | null }; crashes: LogLine[] }> {
  const crashes = p.logs.filter((l) => l.event === 'unhandled-rejection' || l.event === 'uncaught-exception');
  return { exit: await p.stop(signal), crashes };
}
