// A NetlinkDriver whose calls run in a child process inside a network namespace (driver-child.fixture.ts).
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';
import type { NetlinkChange, NetlinkDriver } from './netlink-driver.ts';

export interface RemoteDriver {
  readonly driver: NetlinkDriver;
  readonly pid: number;
  /** Kills the child with the signal and waits for it to be gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface RemoteDriverOptions {
  readonly namespace: string;
  /** Drop CAP_NET_ADMIN, as an unprivileged agent would run. */
  readonly withoutNetAdmin?: boolean;
}

const child = join(import.meta.dirname, 'driver-child.fixture.ts');

export async function startRemoteDriver(options: RemoteDriverOptions): Promise<RemoteDriver> {
  const node = [process.execPath, '--conditions=@purelb/source', '--disable-warning=ExperimentalWarning', child];
  const command =
    options.withoutNetAdmin === true
      ? ['setpriv', '--inh-caps=-net_admin', '--bounding-set=-net_admin', '--', ...node]
      : node;
  const proc: ChildProcessWithoutNullStreams = spawn('ip', ['netns', 'exec', options.namespace, ...command], {
    stdio: 'pipe',
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      resolve();
    });
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const subscribers = new Map<number, (event: NetlinkChange) => void>();
  let nextId = 1;
  let ready: (pid: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (ready = resolve));

  createInterface({ input: proc.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as {
      id?: number;
      result?: unknown;
      crash?: string;
      sid?: number;
      event?: NetlinkChange;
      ready?: boolean;
      pid?: number;
    };
    if (message.ready === true) ready(message.pid ?? 0);
    if (message.sid !== undefined && message.event !== undefined) subscribers.get(message.sid)?.(message.event);
    if (message.id === undefined) return;
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.crash !== undefined)
      w?.reject(new Error(`driver call rejected (it must never reject): ${message.crash}`));
    else w?.resolve(message.result);
  });
  void exited.then(() => {
    for (const w of waiting.values()) w.reject(new Error(`driver process exited: ${stderr.trim()}`));
    waiting.clear();
  });

  const call = (method: string, args: readonly unknown[] = []): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      proc.stdin.write(`${JSON.stringify({ id, method, args })}\n`);
    });

  const pid = await Promise.race([
    started,
    exited.then(() => Promise.reject(new Error(`driver process did not start: ${stderr.trim()}`))),
  ]);

  const remote =
    (method: string) =>
    (...args: unknown[]) =>
      call(method, args);
  const driver = {
    listLinks: remote('listLinks'),
    listAddresses: remote('listAddresses'),
    defaultRoutes: remote('defaultRoutes'),
    findSubnet: remote('findSubnet'),
    ensureLink: remote('ensureLink'),
    addAddress: remote('addAddress'),
    replaceAddress: remote('replaceAddress'),
    deleteAddress: remote('deleteAddress'),
    announce: remote('announce'),
    changes: () =>
      new Observable<NetlinkChange>((subscriber) => {
        const sid = nextId;
        subscribers.set(sid, (event) => {
          subscriber.next(event);
        });
        void call('subscribe');
        return () => {
          subscribers.delete(sid);
          if (proc.exitCode === null) void call('unsubscribe', [sid]).catch(() => undefined);
        };
      }),
    close: () => {
      proc.stdin.end();
    },
  } as NetlinkDriver;

  return {
    driver,
    pid,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}
