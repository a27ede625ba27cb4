// `npm run control-plane -- up|env|status|down` end to end, with the run file in a temporary cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateBinaries } from './binaries.ts';
import { readState } from './control-plane-state.ts';
import { isRunning } from './managed-process.ts';
import { parseRunFile } from './run-file.ts';

const cache = mkdtempSync(join(tmpdir(), 'purelb-cli-'));
const runFile = join(cache, 'run', 'control-plane.json');
const cli = join(import.meta.dirname, 'cli.ts');

async function runCli(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bins = await locateBinaries({ progress: () => undefined });
  const res = spawnSync(process.execPath, [cli, command], {
    encoding: 'utf8',
    env: { ...process.env, PURELB_CACHE: cache, PURELB_CONTROL_PLANE_BIN: bins.dir },
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

afterAll(async () => {
  if (existsSync(runFile)) await runCli('down');
  rmSync(cache, { recursive: true, force: true });
});

describe('the control-plane CLI', () => {
  it('up starts a control plane that outlives the command, and prints the KUBECONFIG export', async () => {
    const res = await runCli('up');
    expect(res.code).toBe(0);
    const run = parseRunFile(readFileSync(runFile, 'utf8'));
    expect(run).toBeDefined();
    expect(res.stdout).toBe(`export KUBECONFIG=${run!.kubeconfigPath}\n`);
    const state = readState(run!.statePath);
    expect(isRunning(state.apiServer)).toBe(true);
    expect(isRunning(state.etcd)).toBe(true);
    expect(run!.pids).toEqual({ etcd: state.etcd.pid, kubeApiServer: state.apiServer.pid });
  });

  it('up again reuses the running one', async () => {
    const before = readFileSync(runFile, 'utf8');
    const res = await runCli('up');
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('already running at https://127.0.0.1:');
    expect(readFileSync(runFile, 'utf8')).toBe(before);
  });

  it('env and status describe it', async () => {
    const run = parseRunFile(readFileSync(runFile, 'utf8'))!;
    expect(await runCli('env')).toMatchObject({ code: 0, stdout: `export KUBECONFIG=${run.kubeconfigPath}\n` });
    const status = await runCli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running: kube-apiserver ${run.server} (PID ${run.pids.kubeApiServer})`);
  });

  it('down stops it and removes its directory and the run file', async () => {
    const run = parseRunFile(readFileSync(runFile, 'utf8'))!;
    const state = readState(run.statePath);
    const res = await runCli('down');
    expect(res.code).toBe(0);
    expect(isRunning(state.apiServer)).toBe(false);
    expect(isRunning(state.etcd)).toBe(false);
    expect(existsSync(state.dir)).toBe(false);
    expect(existsSync(runFile)).toBe(false);
  });

  it('env and status fail when nothing runs; an unknown command prints the usage', async () => {
    expect(await runCli('env')).toMatchObject({ code: 1, stdout: '' });
    expect((await runCli('status')).code).toBe(1);
    expect(await runCli('sideways')).toMatchObject({
      code: 2,
      stderr: 'usage: npm run control-plane -- up|down|env|status\n',
    });
  });
});
