// Starting the lab's API server relay (`relay.ts`) and waiting until it listens in every namespace.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabProcessRecord } from './lab-state.ts';

const RELAY = fileURLToPath(new URL(`./relay${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const READY_TIMEOUT_MS = 20_000;

export interface RelayOptions {
  /** The lab's directory; the relay logs to `relay.log` there. */
  readonly dir: string;
  readonly upstream: { readonly host: string; readonly port: number };
  readonly namespaces: readonly string[];
  /** Told the relay's PID as soon as it exists, before it is ready (to record it for teardown). */
  readonly onStarted: (record: LabProcessRecord) => void;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts the relay detached (its own process group, so a Ctrl-C meant for the owner does not cut
 * the agents off while the owner cleans up) and resolves once it listens everywhere.
 */
export async function startRelay(options: RelayOptions): Promise<LabProcessRecord> {
  const logPath = join(options.dir, 'relay.log');
  const log = openSync(logPath, 'a');
  const args = [RELAY, options.upstream.host, String(options.upstream.port), ...options.namespaces];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`the API server relay did not start: ${error.message}`);
  }
  const stdout = child.stdout;
  if (stdout === null) throw new Error('the API server relay has no standard output');
  const record: LabProcessRecord = { pid, argv0: process.execPath, role: 'api-server-relay' };
  options.onStarted(record);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the API server relay was not ready within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      let out = '';
      stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the API server relay exited (${code}): ${tail(logPath)}`));
      });
    });
  } finally {
    stdout.destroy();
    child.removeAllListeners('exit');
    child.unref();
  }
  return record;
}
