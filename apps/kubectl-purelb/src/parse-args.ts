// The command line → one validated invocation, or every problem with the flag it concerns. Pure:
// the environment and the home directory are handed in.
import { join } from 'node:path';
import { DEFAULT_INSTALL_NAMESPACE } from './names.ts';

export type Command =
  | { readonly kind: 'pools' }
  | { readonly kind: 'services' }
  | { readonly kind: 'explain'; readonly key: string }
  | { readonly kind: 'validate'; readonly file: string }
  | { readonly kind: 'version' };

export type OutputFormat = 'table' | 'wide' | 'json';

/** Where the client configuration comes from (as kubectl looks for it, first entry of KUBECONFIG only). */
export interface KubeconfigChoice {
  readonly path: string;
  readonly from: '--kubeconfig' | 'KUBECONFIG' | 'home';
}

export interface PluginOptions {
  readonly kubeconfig: KubeconfigChoice;
  readonly installNamespace: string;
  /** `-n`: the namespace of `services` (undefined: all) and of `explain NAME`. */
  readonly namespace: string | undefined;
  readonly output: OutputFormat;
  readonly pendingOnly: boolean;
  readonly offline: boolean;
}

export type Invocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly command: Command; readonly options: PluginOptions };

/** Closed union: it may grow in a minor release. */
export type ArgErrorCode =
  'UnknownCommand' | 'UnknownFlag' | 'MissingValue' | 'BadValue' | 'MissingArgument' | 'UnexpectedArgument';

export interface ArgError {
  readonly code: ArgErrorCode;
  /** The flag or argument concerned. */
  readonly path: string;
  readonly message: string;
}

export type ParseArgsResult =
  { readonly ok: true; readonly value: Invocation } | { readonly ok: false; readonly errors: readonly ArgError[] };

export const usage = `kubectl purelb: see and check what PureLB does

Usage: kubectl purelb COMMAND [flags]

Commands:
  pools               address usage per ServiceGroup and pool (in use, capacity, free; -o wide: exact counts)
  services            Services PureLB handles: addresses, group, announcing node, condition reasons
  explain NS/NAME     why a Service has (no) address: group, pool, sharing key, conflicting Service,
                      and for local addresses the election ranking of the nodes (NAME alone: -n or default)
  validate FILE       check the ServiceGroups of FILE (- for stdin) as the CRD and the allocator do,
                      and against the live cluster's groups when a kubeconfig is found
  version             the plugin's version and, when reachable, PureLB's images in the cluster

Flags:
  --kubeconfig PATH         client configuration (env KUBECONFIG, its first entry; else ~/.kube/config)
  --install-namespace NS    where PureLB runs and its ServiceGroups live (env PURELB_NAMESPACE; default purelb)
  -n, --namespace NS        services: only this namespace; explain: the namespace of NAME
  -o, --output FORMAT       table (default), wide or json (pools, services)
  --pending                 services: only Services that do not have all their addresses
  --offline                 validate: do not contact the cluster
  -h, --help                this text

Exit status: 0 fine; 1 problems found (validate: invalid groups; explain: not found); 2 bad command
line; 3 the cluster or a file could not be read.`;

const COMMANDS = ['pools', 'services', 'explain', 'validate', 'version'] as const;
const VALUE_FLAGS = new Set(['--kubeconfig', '--install-namespace', '--namespace', '-n', '--output', '-o']);
const BOOLEAN_FLAGS = new Set(['--pending', '--offline']);
/** A Kubernetes namespace or object name (RFC 1123 label or subdomain). */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export interface ArgsContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  /** The separator of KUBECONFIG entries (`:`, `;` on Windows). */
  readonly delimiter: string;
}

function kubeconfigOf(flag: string | undefined, ctx: ArgsContext): KubeconfigChoice {
  if (flag !== undefined) return { path: flag, from: '--kubeconfig' };
  const first = (ctx.env['KUBECONFIG'] ?? '').split(ctx.delimiter).find((p) => p !== '');
  if (first !== undefined) return { path: first, from: 'KUBECONFIG' };
  return { path: join(ctx.homedir, '.kube', 'config'), from: 'home' };
}

export function parseArgs(argv: readonly string[], ctx: ArgsContext): ParseArgsResult {
  const errors: ArgError[] = [];
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  const positional: string[] = [];
  if (argv.includes('-h') || argv.includes('--help') || argv.length === 0 || argv[0] === 'help') {
    return { ok: true, value: { kind: 'help', text: usage } };
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOLEAN_FLAGS.has(flag) && eq < 0) {
      booleans.add(flag);
    } else if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '')
        errors.push({ code: 'MissingValue', path: flag, message: `${flag} needs a value` });
      else values.set(flag === '-n' ? '--namespace' : flag === '-o' ? '--output' : flag, value);
    } else {
      errors.push({ code: 'UnknownFlag', path: flag, message: `unknown flag ${flag}` });
    }
  }
  const [name, ...rest] = positional;
  const output = values.get('--output') ?? 'table';
  if (output !== 'table' && output !== 'wide' && output !== 'json') {
    errors.push({
      code: 'BadValue',
      path: '--output',
      message: `--output must be table, wide or json (got "${output}")`,
    });
  }
  const installNamespace =
    values.get('--install-namespace') ?? ctx.env['PURELB_NAMESPACE'] ?? DEFAULT_INSTALL_NAMESPACE;
  const namespace = values.get('--namespace');
  for (const [flag, v] of [
    ['--install-namespace', installNamespace],
    ['--namespace', namespace],
  ] as const) {
    if (v !== undefined && !NAME.test(v))
      errors.push({ code: 'BadValue', path: flag, message: `${flag} "${v}" is not a namespace name` });
  }
  let command: Command | undefined;
  const needs = (what: string): string | undefined => {
    const [arg, ...extra] = rest;
    if (arg === undefined)
      errors.push({ code: 'MissingArgument', path: name ?? '', message: `${name ?? ''} needs ${what}` });
    for (const e of extra) errors.push({ code: 'UnexpectedArgument', path: e, message: `unexpected argument "${e}"` });
    return arg;
  };
  switch (name ?? '') {
    case 'pools':
    case 'services':
    case 'version':
      for (const e of rest) errors.push({ code: 'UnexpectedArgument', path: e, message: `unexpected argument "${e}"` });
      command = { kind: name as 'pools' | 'services' | 'version' };
      break;
    case 'explain': {
      const target = needs('a Service: NAMESPACE/NAME, or NAME with -n');
      if (target !== undefined) {
        const key = target.includes('/') ? target : `${namespace ?? 'default'}/${target}`;
        const [ns = '', svc = '', ...more] = key.split('/');
        if (!NAME.test(ns) || !NAME.test(svc) || more.length > 0) {
          errors.push({ code: 'BadValue', path: target, message: `"${target}" is not NAMESPACE/NAME of a Service` });
        }
        command = { kind: 'explain', key };
      }
      break;
    }
    case 'validate': {
      const file = needs('a file (or - for stdin)');
      if (file !== undefined) command = { kind: 'validate', file };
      break;
    }
    default:
      errors.push({
        code: 'UnknownCommand',
        path: name ?? '',
        message: `unknown command "${name ?? ''}" (commands: ${COMMANDS.join(', ')})`,
      });
  }
  if (errors.length > 0 || command === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: 'run',
      command,
      options: {
        kubeconfig: kubeconfigOf(values.get('--kubeconfig'), ctx),
        installNamespace,
        namespace,
        output: output as OutputFormat,
        pendingOnly: booleans.has('--pending'),
        offline: booleans.has('--offline'),
      },
    },
  };
}
