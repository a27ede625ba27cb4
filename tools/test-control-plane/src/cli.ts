// npm run control-plane -- up|down|env|status
//   up      start a control plane that outlives this command; prints `export KUBECONFIG=…`
//   env     print `export KUBECONFIG=…` for the running one (eval "$(npm run -s control-plane -- env)")
//   status  say whether it runs, with its PIDs and URLs
//   down    stop it and remove its directory
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ControlPlane } from './control-plane.ts';
import { readState } from './control-plane-state.ts';
import { parseRunFile, runFilePath } from './run-file.ts';
import type { RunFile } from './run-file.ts';
import { attachControlPlane, startControlPlane } from './start-control-plane.ts';

const USAGE = 'usage: npm run control-plane -- up|down|env|status';
const runFile = runFilePath();
const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function running(): { run: RunFile; handle: ControlPlane } | undefined {
  if (!existsSync(runFile)) return undefined;
  const run = parseRunFile(readFileSync(runFile, 'utf8'));
  if (run === undefined || !existsSync(run.statePath)) return undefined;
  const handle = attachControlPlane(run.statePath);
  return handle.isRunning() ? { run, handle } : undefined;
}

const exportLine = (kubeconfigPath: string): string => `export KUBECONFIG=${kubeconfigPath}`;

async function up(): Promise<number> {
  const current = running();
  if (current !== undefined) {
    say(`already running at ${current.run.server}`);
    console.log(exportLine(current.run.kubeconfigPath));
    return 0;
  }
  const cp = await startControlPlane({ cleanUpOnExit: false });
  const state = readState(cp.statePath);
  const run: RunFile = {
    statePath: cp.statePath,
    kubeconfigPath: cp.kubeconfigPath,
    server: cp.server,
    etcdUrl: cp.etcdUrl,
    pids: { etcd: state.etcd.pid, kubeApiServer: state.apiServer.pid },
  };
  mkdirSync(dirname(runFile), { recursive: true });
  writeFileSync(runFile, `${JSON.stringify(run, null, 2)}\n`);
  say(`kube-apiserver ${cp.server} (PID ${state.apiServer.pid}), etcd ${cp.etcdUrl} (PID ${state.etcd.pid})`);
  say(`directory ${cp.dir}; state in ${runFile}; stop with: npm run control-plane -- down`);
  console.log(exportLine(cp.kubeconfigPath));
  return 0;
}

async function down(): Promise<number> {
  const run = existsSync(runFile) ? parseRunFile(readFileSync(runFile, 'utf8')) : undefined;
  if (run !== undefined && existsSync(run.statePath)) {
    await attachControlPlane(run.statePath).stop();
    say(`stopped ${run.server}`);
  } else {
    say('no control plane is running');
  }
  rmSync(runFile, { force: true });
  return 0;
}

function env(): number {
  const current = running();
  if (current === undefined) {
    say('no control plane is running; start one with: npm run control-plane -- up');
    return 1;
  }
  console.log(exportLine(current.run.kubeconfigPath));
  return 0;
}

function status(): number {
  const current = running();
  if (current === undefined) {
    say('not running');
    return 1;
  }
  const state = readState(current.run.statePath);
  console.log(
    `running: kube-apiserver ${state.server} (PID ${state.apiServer.pid}), etcd ${state.etcdUrl} (PID ${state.etcd.pid})`,
  );
  console.log(`kubeconfig: ${state.kubeconfigPath}`);
  return 0;
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'env':
      return env();
    case 'status':
      return status();
    case undefined:
    default:
      say(USAGE);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
