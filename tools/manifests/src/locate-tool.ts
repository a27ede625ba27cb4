// The helm and kustomize binaries, and the monitoring CRDs the chart's tests apply: each from its
// build script (tools/helm/build.sh, tools/kustomize/build.sh), which answers at once from the cache
// and otherwise builds from the Go module proxy (minutes; progress on stderr).
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { runBuildScript } from '@purelb/test-control-plane';
import type { BuildScriptOptions } from '@purelb/test-control-plane';

export type DeployTool = 'helm' | 'kustomize';

const toolsDir = resolve(import.meta.dirname, '..', '..');

/** The build script of each tool, and the variable that names a binary to use instead. */
export const TOOL_BUILD: Readonly<Record<DeployTool, { readonly script: string; readonly override: string }>> = {
  helm: { script: join(toolsDir, 'helm', 'build.sh'), override: 'PURELB_HELM' },
  kustomize: { script: join(toolsDir, 'kustomize', 'build.sh'), override: 'PURELB_KUSTOMIZE' },
};

/** Environment for the override variable and the build script, and where its progress goes. */
export type LocateToolOptions = BuildScriptOptions;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
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
