import { existsSync, readFileSync, rmSync } from 'node:fs';
import { adminConnection } from './api-request.ts';
import type { AdminConnection } from './api-request.ts';
import { startApiServer } from './api-server.ts';
import { readState, writeState } from './control-plane-state.ts';
import type { ControlPlaneState } from './control-plane-state.ts';
import { compactEtcd } from './etcd.ts';
import { forgetOnExit } from './exit-cleanup.ts';
import { isRunning, stopProcess } from './managed-process.ts';

/** A running kube-apiserver + etcd. */
export interface ControlPlane {
  /** A kubeconfig for the admin user (system:masters), in the control plane's directory. */
  readonly kubeconfigPath: string;
  readonly kubeconfigYaml: string;
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** Where etcd and kube-apiserver were found. */
  readonly binDir: string;
  /** The temporary directory: PKI, etcd data, logs, kubeconfig, state. Removed by `stop()`. */
  readonly dir: string;
  /** etcd's client URL, `http://127.0.0.1:<port>`. */
  readonly etcdUrl: string;
  /** The JSON state file other processes can attach with (`attachControlPlane`). */
  readonly statePath: string;
  /**
   * Stops kube-apiserver and starts it again on the same port against the same etcd (objects are
   * kept); resolves once it is ready. With `compactEtcd: true`, etcd is compacted while the API server
   * is down: every resourceVersion seen before is then too old, and a watch resumed from one gets
   * 410 Gone (Expired).
   */
  restartApiServer(options?: RestartOptions): Promise<void>;
  /** Compacts etcd at a new revision (see `compactEtcd`); returns that revision. */
  compactEtcd(): Promise<number>;
  /** Whether both processes are still running. */
  isRunning(): boolean;
  /** Stops kube-apiserver then etcd (SIGTERM, SIGKILL after a grace) and removes the directory. */
  stop(): Promise<void>;
}

export interface RestartOptions {
  readonly compactEtcd?: boolean;
}

export interface HandleSettings {
  readonly stopGraceMs: number;
  readonly startTimeoutMs: number;
}

function connectionOf(state: ControlPlaneState): AdminConnection {
  return adminConnection(state.server, state.pki);
}

/** A handle over the control plane described by the state file at `statePath`. */
export function controlPlaneHandle(statePath: string, settings: HandleSettings): ControlPlane {
  const initial = readState(statePath);
  const kubeconfigYaml = readFileSync(initial.kubeconfigPath, 'utf8');
  let stopped = false;
  const current = (): ControlPlaneState => readState(statePath);
  return {
    kubeconfigPath: initial.kubeconfigPath,
    kubeconfigYaml,
    server: initial.server,
    binDir: initial.binDir,
    dir: initial.dir,
    etcdUrl: initial.etcdUrl,
    statePath,
    async restartApiServer(options: RestartOptions = {}): Promise<void> {
      if (stopped) throw new Error('the control plane was stopped');
      const state = current();
      await stopProcess(state.apiServer, settings.stopGraceMs);
      if (options.compactEtcd === true) await compactEtcd(state.etcdUrl);
      const record = await startApiServer({
        binary: state.apiServer.binary,
        args: state.apiServer.args,
        logPath: state.apiServer.logPath,
        conn: connectionOf(state),
        timeoutMs: settings.startTimeoutMs,
      });
      writeState(statePath, { ...state, apiServer: record });
    },
    compactEtcd(): Promise<number> {
      return compactEtcd(initial.etcdUrl);
    },
    isRunning(): boolean {
      if (stopped || !existsSync(statePath)) return false;
      const state = current();
      return isRunning(state.apiServer) && isRunning(state.etcd);
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (existsSync(statePath)) {
        const state = current();
        await stopProcess(state.apiServer, settings.stopGraceMs);
        await stopProcess(state.etcd, settings.stopGraceMs);
      } // else: stopped through another handle
      rmSync(initial.dir, { recursive: true, force: true });
      forgetOnExit(initial.dir);
    },
  };
}
