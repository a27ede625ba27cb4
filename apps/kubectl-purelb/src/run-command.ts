// One command from its invocation to its output and exit status. The cluster, the files and the clock
// come in through `deps`, so the commands are tested as a whole with the real ones (integration
// tests) and their parts with plain data (unit tests).
import type { ClusterAccess } from '@purelb/k8s-watch';
import type { GroupInput } from '@purelb/ipam-core';
import { groupInputs } from './allocation-state.ts';
import type { ClusterResult } from './cluster-snapshot.ts';
import { explainService, formatExplanation } from './explain-service.ts';
import { formatTable } from './format-table.ts';
import type { ClusterSnapshot } from './kube-objects.ts';
import type { Command, KubeconfigChoice, PluginOptions } from './parse-args.ts';
import { POOL_TABLE_HEADER, poolTableRows, poolUsage } from './pool-usage.ts';
import { serviceView } from './service-view.ts';
import { SERVICES_HEADER, selectServices, serviceTableRows } from './services-table.ts';
import { formatValidation, readManifestGroups, validateGroups } from './validate-groups.ts';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface CommandDeps {
  readonly loadAccess: (choice: KubeconfigChoice) => Promise<ClusterResult<ClusterAccess>>;
  readonly fetchSnapshot: (access: ClusterAccess, installNamespace: string) => Promise<ClusterResult<ClusterSnapshot>>;
  readonly fetchImages: (access: ClusterAccess, installNamespace: string) => Promise<ClusterResult<string[]>>;
  /** The text of a file, `-` for stdin; rejects when it cannot be read. */
  readonly readText: (file: string) => Promise<string>;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  readonly version: string;
  readonly nodeVersion: string;
}

const EXIT = { ok: 0, problems: 1, unreadable: 3 } as const;

const out = (stdout: string, code: number = EXIT.ok): CommandOutput => ({ stdout: `${stdout}\n`, stderr: '', code });
const fail = (message: string): CommandOutput => ({
  stdout: '',
  stderr: `kubectl-purelb: ${message}\n`,
  code: EXIT.unreadable,
});

async function snapshotOf(options: PluginOptions, deps: CommandDeps): Promise<ClusterResult<ClusterSnapshot>> {
  const access = await deps.loadAccess(options.kubeconfig);
  if (!access.ok) return access;
  return deps.fetchSnapshot(access.value, options.installNamespace);
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

async function validate(file: string, options: PluginOptions, deps: CommandDeps): Promise<CommandOutput> {
  let text: string;
  try {
    text = await deps.readText(file);
  } catch (error) {
    return fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const read = readManifestGroups(text, file === '-' ? 'stdin' : file);
  let live: GroupInput[] | undefined;
  const notes: string[] = [];
  if (!options.offline) {
    const access = await deps.loadAccess(options.kubeconfig);
    if (access.ok) {
      const snapshot = await deps.fetchSnapshot(access.value, options.installNamespace);
      if (!snapshot.ok) return fail(`${snapshot.error.message} (use --offline to check the file alone)`);
      live = groupInputs(snapshot.value.groups);
    } else if (options.kubeconfig.from !== 'home') {
      return fail(`${access.error.message} (use --offline to check the file alone)`);
    } else {
      notes.push(`no kubeconfig at ${options.kubeconfig.path}: checking the file alone`);
    }
  }
  const report = validateGroups({
    read,
    live,
    installNamespace: options.installNamespace,
    nowIso: new Date(deps.now()).toISOString(),
  });
  const { text: shown, ok } = formatValidation(report);
  return { stdout: `${[...notes, shown].join('\n')}\n`, stderr: '', code: ok ? EXIT.ok : EXIT.problems };
}

async function version(options: PluginOptions, deps: CommandDeps): Promise<CommandOutput> {
  const lines = [`kubectl-purelb ${deps.version} (Node.js ${deps.nodeVersion})`];
  const access = await deps.loadAccess(options.kubeconfig);
  if (!access.ok) {
    lines.push(`cluster: ${access.error.message}`);
    return out(lines.join('\n'));
  }
  const images = await deps.fetchImages(access.value, options.installNamespace);
  if (!images.ok) lines.push(`cluster: ${images.error.message}`);
  else if (images.value.length === 0)
    lines.push(`cluster: no PureLB workload in namespace ${options.installNamespace}`);
  else lines.push(...images.value.map((i) => `cluster: ${i}`));
  return out(lines.join('\n'));
}

export async function runCommand(command: Command, options: PluginOptions, deps: CommandDeps): Promise<CommandOutput> {
  switch (command.kind) {
    case 'version':
      return version(options, deps);
    case 'validate':
      return validate(command.file, options, deps);
    case 'pools': {
      const snapshot = await snapshotOf(options, deps);
      if (!snapshot.ok) return fail(snapshot.error.message);
      const usage = poolUsage(snapshot.value.groups, snapshot.value.services.map(serviceView));
      if (options.output === 'json') return out(json(usage));
      if (usage.length === 0) return out(`no ServiceGroup in namespace ${options.installNamespace}`);
      const table = formatTable(POOL_TABLE_HEADER, poolTableRows(usage, { exact: options.output === 'wide' }));
      const problems = usage.flatMap((g) => (g.problem === undefined ? [] : [`${g.group}: ${g.problem}`]));
      return out([table, ...(problems.length === 0 ? [] : ['', ...problems])].join('\n'));
    }
    case 'services': {
      const snapshot = await snapshotOf(options, deps);
      if (!snapshot.ok) return fail(snapshot.error.message);
      const views = selectServices(snapshot.value.services.map(serviceView), {
        namespace: options.namespace,
        pendingOnly: options.pendingOnly,
      });
      if (options.output === 'json') return out(json(views));
      if (views.length === 0) return out('no Service handled by PureLB');
      const wide = options.output === 'wide';
      return out(
        formatTable(wide ? [...SERVICES_HEADER, 'MESSAGE'] : SERVICES_HEADER, serviceTableRows(views, { wide })),
      );
    }
    case 'explain': {
      const snapshot = await snapshotOf(options, deps);
      if (!snapshot.ok) return fail(snapshot.error.message);
      const explanation = explainService({
        key: command.key,
        snapshot: snapshot.value,
        installNamespace: options.installNamespace,
        nowMs: deps.now(),
      });
      return out(formatExplanation(explanation), explanation.verdict === 'missing' ? EXIT.problems : EXIT.ok);
    }
  }
}
