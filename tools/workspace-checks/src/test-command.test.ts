import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

function runTests(...args: string[]): { status: number | null; lines: string[] } {
  const run = spawnSync(process.execPath, [join(root, 'tools', 'test-run.ts'), '--project', 'unit', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VITEST: undefined, VITEST_MODE: undefined, NO_COLOR: '1' },
  });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

describe('the test command', () => {
  it('ends with the plain `N passed, N failed` line and passes the runner’s exit status on', () => {
    const ok = runTests('tools/workspace-checks/src/runtime.test.ts');
    expect(ok.lines.at(-1)).toBe('2 passed, 0 failed');
    expect(ok.status).toBe(0);
  });

  it('exits non-zero and still prints the line when nothing matches', () => {
    const none = runTests('tools/workspace-checks/src/no-such.test.ts');
    expect(none.lines.at(-1)).toMatch(/^0 passed, \d+ failed$/);
    expect(none.status).not.toBe(0);
  });
});
