// The Helm chart deploy/helm/purelb as data: `helm template` and `helm lint` run on values given as
// objects, for the chart's tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseManifests } from './load-kustomization.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { runCommand } from './run-command.ts';
import type { CommandResult } from './run-command.ts';

export const CHART_DIR = resolve(import.meta.dirname, '..', '..', '..', 'deploy', 'helm', 'purelb');

export interface ChartRun {
  /** The helm binary. */
  readonly helm: string;
  readonly release: string;
  readonly namespace: string;
  /** Values (written to a file and given with -f). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** The chart's directory; default deploy/helm/purelb. */
  readonly chart?: string;
}

/** Helm's own directories for one command, so that nothing is read from or written to $HOME. */
export function helmEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    // Without HOME, the Kubernetes client inside helm keeps its discovery cache in ./.kube.
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
}

/** Runs helm with a values file made of `values` (`-f` is appended when values are given). */
export async function runHelm(
  helm: string,
  args: readonly string[],
  values?: Readonly<Record<string, unknown>>,
): Promise<CommandResult> {
  const home = mkdtempSync(join(tmpdir(), 'purelb-helm-'));
  try {
    const extra: string[] = [];
    if (values !== undefined) {
      const file = join(home, 'values.yaml');
      writeFileSync(file, JSON.stringify(values));
      extra.push('-f', file);
    }
    return await runCommand(helm, [...args, ...extra], { env: helmEnv(home) });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `helm template`: the objects, or the command's output when it fails. */
export async function renderChart(
  run: ChartRun,
): Promise<{ ok: true; value: ManifestObject[] } | { ok: false; error: string }> {
  const res = await runHelm(
    run.helm,
    ['template', run.release, run.chart ?? CHART_DIR, '--namespace', run.namespace],
    run.values,
  );
  if (res.code !== 0) return { ok: false, error: res.stderr.trim() };
  return { ok: true, value: parseManifests(res.stdout, `helm template ${run.release}`) };
}

/** `helm lint --strict`: the exit code and the lines that are not INFO or summaries. */
export async function lintChart(
  helm: string,
  values?: Readonly<Record<string, unknown>>,
): Promise<{ code: number; problems: string[]; output: string }> {
  const res = await runHelm(helm, ['lint', '--strict', CHART_DIR], values);
  const output = `${res.stdout}${res.stderr}`;
  const problems = output.split('\n').filter((l) => /^\[(WARNING|ERROR)\]/.test(l.trim()) || /^Error/.test(l.trim()));
  return { code: res.code, problems, output };
}
