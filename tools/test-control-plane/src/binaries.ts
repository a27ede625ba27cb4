import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the control-plane binaries are. */
export interface Binaries {
  readonly dir: string;
  readonly etcd: string;
  readonly kubeApiServer: string;
}

/** The build script, `tools/control-plane/build.sh` of this repository. */
export const BUILD_SCRIPT = resolve(fileURLToPath(new URL('../../control-plane/build.sh', import.meta.url)));

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function inDir(dir: string): Binaries {
  return { dir, etcd: join(dir, 'etcd'), kubeApiServer: join(dir, 'kube-apiserver') };
}

export interface LocateOptions {
  /** Environment to read `PURELB_CONTROL_PLANE_BIN` from (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the build script's progress lines (stderr). */
  readonly progress?: (line: string) => void;
}

/**
 * Finds kube-apiserver and etcd: in `$PURELB_CONTROL_PLANE_BIN` when set, otherwise in the cache the
 * build script fills. The build script returns at once when the binaries are cached, and builds them
 * from the Go module proxy when not (minutes; its progress goes to `progress`).
 */
export async function locateBinaries(options: LocateOptions = {}): Promise<Binaries> {
  const env = options.env ?? process.env;
  const override = env['PURELB_CONTROL_PLANE_BIN'];
  if (override !== undefined && override !== '') {
    const bins = inDir(resolve(override));
    const missing = [bins.etcd, bins.kubeApiServer].filter((p) => !executable(p));
    if (missing.length > 0) {
      throw new Error(`PURELB_CONTROL_PLANE_BIN=${override}: no executable ${missing.join(' or ')}`);
    }
    return bins;
  }
  const dir = await runBuildScript(BUILD_SCRIPT, [], {
    env,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  }).catch((error: unknown) => {
    throw new Error(`no control plane: ${error instanceof Error ? error.message : String(error)}`);
  });
  const bins = inDir(dir);
  if (!executable(bins.etcd) || !executable(bins.kubeApiServer)) {
    throw new Error(`${BUILD_SCRIPT} reported ${dir}, but it does not hold etcd and kube-apiserver`);
  }
  return bins;
}

export interface BuildScriptOptions {
  /** Environment of the script (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the script's progress lines (stderr). Default: this process's stderr. */
  readonly progress?: (line: string) => void;
}

/**
 * Runs a build script of this repository (`tools/<tool>/build.sh`): resolves with the last line it
 * printed on stdout (a path), or rejects with its last progress line (`[tool] ` removed), which says
 * why it failed.
 */
export function runBuildScript(
  script: string,
  args: readonly string[],
  options: BuildScriptOptions = {},
): Promise<string> {
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  return new Promise((resolvePath, reject) => {
    const child = spawn('bash', [script, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let pending = '';
    // The last progress line says why a build failed (e.g. that Go is missing).
    let last = '';
    const report = (line: string): void => {
      if (line.trim() !== '') last = line.replace(/^\[[a-z-]+\] /, '');
      progress(line);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) report(line);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (pending !== '') report(pending);
      const path = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && path !== '') resolvePath(path);
      else reject(new Error(last === '' ? `${script} failed (exit ${code ?? 'signal'})` : last));
    });
  });
}
