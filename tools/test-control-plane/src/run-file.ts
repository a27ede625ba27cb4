import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the CLI records the control plane it started: `<cache>/run/control-plane.json`. */
export function runFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['PURELB_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'purelb');
  return join(cache, 'run', 'control-plane.json');
}

/** What the run file holds: the state file to attach to, and a summary for people reading it. */
export interface RunFile {
  readonly statePath: string;
  readonly kubeconfigPath: string;
  readonly server: string;
  readonly etcdUrl: string;
  readonly pids: { readonly etcd: number; readonly kubeApiServer: number };
}

/** Parses a run file's text; `undefined` when it is not one. */
export function parseRunFile(text: string): RunFile | undefined {
  try {
    const v = JSON.parse(text) as Partial<RunFile> | null;
    if (v === null || typeof v !== 'object') return undefined;
    const { statePath, kubeconfigPath, server, etcdUrl, pids } = v;
    if (
      typeof statePath !== 'string' ||
      typeof kubeconfigPath !== 'string' ||
      typeof server !== 'string' ||
      typeof etcdUrl !== 'string'
    ) {
      return undefined;
    }
    if (typeof pids?.etcd !== 'number' || typeof pids.kubeApiServer !== 'number') return undefined;
    return { statePath, kubeconfigPath, server, etcdUrl, pids: { etcd: pids.etcd, kubeApiServer: pids.kubeApiServer } };
  } catch {
    return undefined;
  }
}
