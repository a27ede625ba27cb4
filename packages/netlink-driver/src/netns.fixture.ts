// Network namespaces for kernel tests: each test makes its own, `ip` works inside it (the oracle), and
// every namespace is deleted afterwards — by the test's own clean-up, and by an exit hook for any a
// failed or interrupted test left behind.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const live = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const name of live) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Why kernel tests cannot run here, or undefined when they can. */
export function kernelTestsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'the netlink kernel tests need root (they create network namespaces); run them as root';
  const name = `purelb-nl-probe-${randomBytes(3).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.error !== undefined) return `the netlink kernel tests need iproute2 (\`ip\`): ${add.error.message}`;
  if (add.status !== 0)
    return `the netlink kernel tests need network namespace support: ip netns add failed: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  return undefined;
}

export interface Namespace {
  readonly name: string;
  /** Runs `ip -n <ns> ...args` and returns stdout; throws with stderr on failure. */
  ip(...args: string[]): string;
  /** `ip -json -n <ns> ...args`, parsed. */
  ipJson(...args: string[]): unknown;
  /** Runs a command inside the namespace, asynchronously. */
  run(
    command: string,
    args: readonly string[],
    timeoutMs?: number,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): void;
}

export function createNamespace(): Namespace {
  hookExit();
  const name = `purelb-nl-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  live.add(name);
  const ns: Namespace = {
    name,
    ip: (...args) => execFileSync('ip', ['-n', name, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ipJson: (...args: string[]): unknown => JSON.parse(ns.ip('-json', ...args) || '[]'),
    run: (command, args, timeoutMs = 10_000) =>
      new Promise((resolve) => {
        execFile(
          'ip',
          ['netns', 'exec', name, command, ...args],
          { timeout: timeoutMs, encoding: 'utf8' },
          (error, stdout, stderr) => {
            resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
          },
        );
      }),
    remove() {
      if (!live.delete(name)) return;
      spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    },
  };
  ns.ip('link', 'set', 'lo', 'up');
  return ns;
}

/** Whether a namespace of that name exists. */
export function namespaceExists(name: string): boolean {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .some((line) => line.split(' ')[0] === name);
}
