import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

function testCommand(args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; lines: string[] } {
  const run = spawnSync(process.execPath, [join(root, 'tools', 'test-run.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VITEST: undefined, VITEST_MODE: undefined, NO_COLOR: '1', ...env },
  });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

function runTests(...args: string[]): { status: number | null; lines: string[] } {
  return testCommand(['--project', 'unit', ...args]);
}

/** One test of one file: it passes on the workspace's Node 24. */
const ONE_TEST = ['tools/workspace-checks/src/runtime.test.ts', '-t', 'runs the project on Node 24'];

// Each test spawns a whole test run: seconds on a busy machine.
describe('the test command', { timeout: 60_000 }, () => {
  it('ends with the plain `N passed, N failed` line and passes the runner’s exit status on', () => {
    const ok = runTests(...ONE_TEST);
    expect(ok.lines.at(-1)).toMatch(/^1 passed, 0 failed, \d+ skipped$/);
    expect(ok.status).toBe(0);
  });

  it('exits non-zero and still prints the line when nothing matches', () => {
    const none = runTests('tools/workspace-checks/src/no-such.test.ts');
    expect(none.lines.at(-1)).toMatch(/^0 passed, \d+ failed$/);
    expect(none.status).not.toBe(0);
  });

  it('without Go and without cached binaries, runs the unit tests and says on one line what is missing', () => {
    const cache = mkdtempSync(join(tmpdir(), 'purelb-no-cache-'));
    try {
      const path = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => !existsSync(join(dir, 'go')));
      const run = testCommand([...ONE_TEST, 'tools/test-control-plane/src/global-setup.int.test.ts'], {
        PATH: path.join(delimiter),
        PURELB_CACHE: cache,
        PURELB_CONTROL_PLANE_BIN: undefined,
      });
      expect(run.lines.at(-1)).toMatch(/^1 passed, 1 failed, \d+ skipped$/);
      expect(run.lines.at(-2)).toMatch(
        /^integration tests not run: Go >= 1\.25 is required to build kube-apiserver and etcd into /,
      );
      expect(run.status).toBe(1);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
