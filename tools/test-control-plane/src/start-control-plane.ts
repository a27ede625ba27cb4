import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminConnection } from './api-request.ts';
import { startApiServer } from './api-server.ts';
import { applyCrds, ensureNamespace } from './apply-crds.ts';
import { locateBinaries } from './binaries.ts';
import { apiServerArgs } from './component-args.ts';
import { controlPlaneHandle } from './control-plane.ts';
import type { ControlPlane, HandleSettings } from './control-plane.ts';
import { writeState } from './control-plane-state.ts';
import type { ControlPlaneState } from './control-plane-state.ts';
import { startEtcd } from './etcd.ts';
import { cleanUpOnExit, forgetOnExit, startingPath } from './exit-cleanup.ts';
import { findFreePorts } from './free-port.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { logTail, stopProcess } from './managed-process.ts';
import type { ProcessRecord } from './managed-process.ts';
import { createPki } from './pki.ts';

/** This repository's `deploy/crds`. */
export const DEFAULT_CRD_DIR = resolve(fileURLToPath(new URL('../../../deploy/crds', import.meta.url)));

export interface ControlPlaneOptions {
  /** CRDs to apply and wait for (every `*.yaml` in the directory); `null` applies none. Default: deploy/crds. */
  readonly crdDir?: string | null;
  /** Namespaces to create once the API server is ready. Default: `['purelb']`. */
  readonly namespaces?: readonly string[];
  /** Extra kube-apiserver flags, appended (e.g. `--watch-cache=false`). */
  readonly apiServerArgs?: readonly string[];
  /** Per step (etcd healthy, API server ready, CRDs established). Default 60 s. */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 10 s. */
  readonly stopGraceMs?: number;
  /**
   * Kill the processes and remove the directory when this Node process exits or gets SIGINT/SIGTERM
   * without having called `stop()`. Default true; the CLI's `up` turns it off.
   */
  readonly cleanUpOnExit?: boolean;
  /** Parent of the temporary directory. Default: the OS temp dir. */
  readonly tmpRoot?: string;
  /** Progress lines (the binaries' build, when it runs). Default: stderr. */
  readonly progress?: (line: string) => void;
  /** Environment (for `PURELB_CONTROL_PLANE_BIN`, and the build). Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

const PORT_ATTEMPTS = 3;

function portClash(logPath: string): boolean {
  return /address already in use/i.test(logTail(logPath, 50));
}

/**
 * Starts etcd and kube-apiserver on free loopback ports with a throw-away PKI, writes a kubeconfig,
 * creates the install namespace and applies the project's CRDs. Builds the binaries first if they
 * are not cached (minutes, progress on stderr).
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const bins = await locateBinaries({
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'purelb-control-plane-'));
  const statePath = join(dir, 'state.json');
  const started: ProcessRecord[] = [];
  const cleanUp = options.cleanUpOnExit ?? true;
  if (cleanUp) cleanUpOnExit(dir);
  const onSpawn = (record: ProcessRecord): void => {
    started.push(record);
    writeFileSync(startingPath(dir), JSON.stringify(started.map(({ pid, binary }) => ({ pid, binary }))));
  };
  try {
    const pki = await createPki(join(dir, 'pki'));
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    let etcd: { record: ProcessRecord; url: string } | undefined;
    for (let attempt = 1; etcd === undefined; attempt++) {
      const [clientPort = 0, peerPort = 0] = await findFreePorts(2);
      const logPath = join(logs, 'etcd.log');
      try {
        etcd = await startEtcd({
          binary: bins.etcd,
          dataDir: join(dir, 'etcd'),
          clientPort,
          peerPort,
          logPath,
          timeoutMs,
          onSpawn,
        });
      } catch (error) {
        if (attempt >= PORT_ATTEMPTS || !portClash(logPath)) throw error;
        rmSync(join(dir, 'etcd'), { recursive: true, force: true });
      }
    }

    let apiServer: { record: ProcessRecord; server: string } | undefined;
    for (let attempt = 1; apiServer === undefined; attempt++) {
      const [port = 0] = await findFreePorts(1);
      const server = `https://127.0.0.1:${port}`;
      const logPath = join(logs, 'kube-apiserver.log');
      const args = apiServerArgs({
        etcdUrl: etcd.url,
        port,
        pki,
        certDir: join(dir, 'apiserver-certs'),
        extraArgs: options.apiServerArgs ?? [],
      });
      try {
        const record = await startApiServer({
          binary: bins.kubeApiServer,
          args,
          logPath,
          conn: adminConnection(server, pki),
          timeoutMs,
          onSpawn,
        });
        apiServer = { record, server };
      } catch (error) {
        if (attempt >= PORT_ATTEMPTS || !portClash(logPath)) throw error;
      }
    }

    const kubeconfigPath = join(dir, 'kubeconfig');
    const kubeconfigYaml = renderKubeconfig({
      server: apiServer.server,
      caPem: readFileSync(pki.caCert, 'utf8'),
      clientCertPem: readFileSync(pki.adminCert, 'utf8'),
      clientKeyPem: readFileSync(pki.adminKey, 'utf8'),
    });
    writeFileSync(kubeconfigPath, kubeconfigYaml, { mode: 0o600 });
    const state: ControlPlaneState = {
      version: 1,
      dir,
      binDir: bins.dir,
      kubeconfigPath,
      server: apiServer.server,
      etcdUrl: etcd.url,
      pki,
      etcd: etcd.record,
      apiServer: apiServer.record,
    };
    writeState(statePath, state);
    rmSync(startingPath(dir), { force: true });

    const conn = adminConnection(apiServer.server, pki);
    for (const ns of options.namespaces ?? ['purelb']) await ensureNamespace(conn, ns);
    const crdDir = options.crdDir === undefined ? DEFAULT_CRD_DIR : options.crdDir;
    if (crdDir !== null) await applyCrds(conn, crdDir, timeoutMs);
    return controlPlaneHandle(statePath, { stopGraceMs, startTimeoutMs: timeoutMs });
  } catch (error) {
    for (const record of started.reverse()) await stopProcess(record, 2_000);
    rmSync(dir, { recursive: true, force: true });
    if (cleanUp) forgetOnExit(dir);
    throw error;
  }
}

/** A handle over a control plane another process started, from its state file. */
export function attachControlPlane(statePath: string, settings: Partial<HandleSettings> = {}): ControlPlane {
  return controlPlaneHandle(statePath, {
    stopGraceMs: settings.stopGraceMs ?? 10_000,
    startTimeoutMs: settings.startTimeoutMs ?? 60_000,
  });
}
