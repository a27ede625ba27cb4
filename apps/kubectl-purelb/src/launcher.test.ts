// bin/kubectl-purelb.mjs, the file `npm install -g` puts on PATH: whatever `node` runs it, the plugin
// runs on a Node.js 24 or later, or the launcher says that one is needed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const launcher = join(import.meta.dirname, '..', 'bin', 'kubectl-purelb.mjs');
/** The machine's own Node.js, older than 24 here (the workspace brings its own 24). */
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));
const systemMajor =
  systemNode === undefined
    ? 0
    : Number(execFileSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }));
const old = systemNode !== undefined && systemMajor < 24;
const bare = { PATH: '/usr/bin:/bin', HOME: tmpdir(), KUBECONFIG: '/nonexistent/kubeconfig' };
const work = mkdtempSync(join(tmpdir(), 'purelb-launcher-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function run(
  node: string,
  file: string,
  env: Record<string, string>,
): { code: number | null; out: string; err: string } {
  const r = spawnSync(node, [file, 'version'], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the launcher', () => {
  it('runs the plugin on the Node.js that runs it when that is 24 or later', () => {
    const r = run(process.execPath, launcher, bare);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^kubectl-purelb \d+\.\d+\.\d+ \(Node\.js 2[4-9]\./);
  });

  it.runIf(old)('on an older Node.js, finds a Node.js 24 in PURELB_NODE', () => {
    const r = run(systemNode ?? '', launcher, { ...bare, PURELB_NODE: process.execPath });
    expect(r.err).toBe('');
    expect(r.out).toContain(`(Node.js ${process.versions.node})`);
  });

  it.runIf(old)('on an older Node.js, finds the node package of the checkout it sits in', () => {
    const r = run(systemNode ?? '', launcher, bare);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\(Node\.js 2[4-9]\./);
  });

  it.runIf(old)('on an older Node.js with no Node.js 24 to be found, says that one is needed', () => {
    // The launcher alone, outside any checkout.
    cpSync(join(import.meta.dirname, '..', 'bin'), join(work, 'bin'), { recursive: true });
    const r = run(systemNode ?? '', join(work, 'bin', 'kubectl-purelb.mjs'), bare);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`kubectl-purelb needs Node.js 24 or later, and this is Node.js v${String(systemMajor)}.`);
    expect(r.err).toContain('set PURELB_NODE');
  });
});
