// Runs the allocator as a child process, exactly as an operator would start it, and stops it again.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface AllocatorProcessOptions {
  /** The allocator's `src/main.ts`. */
  readonly mainPath: string;
  readonly kubeconfigPath: string;
  /** Install namespace (`--namespace`). */
  readonly namespace: string;
  /** Every line the allocator prints (stdout and stderr) is appended here. */
  readonly logFile: string;
  readonly extraArgs?: readonly string[];
  /** How long to wait for the `listening` log event. Default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface AllocatorProcess {
  readonly pid: number;
  /** The port of /metrics, /healthz and /readyz on 127.0.0.1. */
  readonly port: number;
  /** Settles with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 5 s). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Reads the bound port out of the allocator's `listening` log event; undefined for any other line. */
export function listeningPort(line: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  if (record['event'] !== 'listening') return undefined;
  const port = record['port'];
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/** Starts the allocator and resolves once it listens; rejects (with its last output) if it exits first. */
export async function startAllocatorProcess(options: AllocatorProcessOptions): Promise<AllocatorProcess> {
  const args = [
    '--conditions=@purelb/source',
    options.mainPath,
    '--kubeconfig',
    options.kubeconfigPath,
    '--namespace',
    options.namespace,
    '--listen',
    '127.0.0.1:0',
    '--log-level',
    'info',
    ...(options.extraArgs ?? []),
  ];
  // A process group of its own: Ctrl-C in the terminal reaches only us, and we stop it in order.
  // Should we exit without stopping it, it goes with us.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const tail: string[] = [];
  const remember = (line: string): void => {
    log.write(`${line}\n`);
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };

  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
  });
  void exited.then(() => {
    process.off('exit', killOnExit);
    log.end();
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the allocator did not report "listening" within ${options.startTimeoutMs ?? 30_000} ms:\n${tail.join('\n')}`));
    }, options.startTimeoutMs ?? 30_000);
    createInterface({ input: child.stderr }).on('line', remember);
    createInterface({ input: child.stdout }).on('line', (line) => {
      remember(line);
      const p = listeningPort(line);
      if (p !== undefined) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the allocator exited (${String(how)}) before listening:\n${tail.join('\n')}`));
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  return { pid: child.pid ?? 0, port, exited, stop };
}
