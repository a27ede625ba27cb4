// The helm and kustomize binaries, and the monitoring CRDs the chart's tests apply: each from its
// build script (tools/helm/build.sh, tools/kustomize/build.sh), which answers at once from the cache
// and otherwise builds from the Go module proxy (minutes; progress on stderr).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';

export type DeployTool = 'helm' | 'kustomize';

const toolsDir = resolve(import.meta.dirname, '..', '..');

/** The build script of each tool, and the variable that names a binary to use instead. */
export const TOOL_BUILD: Readonly<Record<DeployTool, { readonly script: string; readonly override: string }>> = {
  helm: { script: join(toolsDir, 'helm', 'build.sh'), override: 'PURELB_HELM' },
  kustomize: { script: join(toolsDir, 'kustomize', 'build.sh'), override: 'PURELB_KUSTOMIZE' },
};

export interface LocateToolOptions {
  /** Environment for the override variable and the build script (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the build script's progress lines. Default: stderr. */
  readonly progress?: (line: string) => void;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a build script; resolves with the last line it printed on stdout. */
export function runBuildScript(
  script: string,
  args: readonly string[],
  options: LocateToolOptions = {},
): Promise<string> {
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  return new Promise((resolvePath, reject) => {
    const child = spawn('bash', [script, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let pending = '';
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

/** The tool's binary: `$PURELB_HELM` / `$PURELB_KUSTOMIZE` when set, else the build script's cache. */
export async function locateTool(tool: DeployTool, options: LocateToolOptions = {}): Promise<string> {
  const { script, override } = TOOL_BUILD[tool];
  const given = (options.env ?? process.env)[override];
  if (given !== undefined && given !== '') {
    if (!executable(given)) throw new Error(`${override}=${given} is not an executable`);
    return given;
  }
  const path = await runBuildScript(script, [], options);
  if (!executable(path)) throw new Error(`${script} reported ${path}, which is not an executable`);
  return path;
}

/** The directory holding the ServiceMonitor, PodMonitor and PrometheusRule CRDs (prometheus-operator). */
export function locateMonitoringCrds(options: LocateToolOptions = {}): Promise<string> {
  return runBuildScript(TOOL_BUILD.helm.script, ['--monitoring-crds'], options);
}
