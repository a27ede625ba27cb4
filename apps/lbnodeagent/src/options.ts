// Command-line flags and environment → one validated, typed options object.
// Pure: the caller hands in argv, the environment and the host facts; nothing here reads the process.
import { LOG_LEVELS } from '@purelb/daemon-kit';
import type { ListenAddress, LogLevel } from '@purelb/daemon-kit';
import type { KubeconfigSource } from '@purelb/k8s-watch';

export type { ListenAddress, LogLevel } from '@purelb/daemon-kit';

export interface AgentOptions {
  readonly kubeconfig: KubeconfigSource;
  /** This node's name: the membership Lease is `purelb-node-<nodeName>`. */
  readonly nodeName: string;
  /** Install namespace: LBNodeAgents, ServiceGroups and membership Leases live in it. */
  readonly namespace: string;
  /** Whether Services without `spec.loadBalancerClass` are ours (as the allocator's flag). */
  readonly defaultClass: boolean;
  /** Membership Lease duration; renewed every third of it. */
  readonly leaseDurationMs: number;
  /** Link kind of the virtual interface when it has to be created. */
  readonly linkKind: string;
  readonly listen: ListenAddress;
  readonly logLevel: LogLevel;
}

export interface OptionError {
  /** The flag or environment variable the error is about, e.g. `--lease-duration` or `NODE_NAME`. */
  readonly path: string;
  readonly message: string;
}

export type ParseOptionsResult =
  | { readonly ok: true; readonly value: AgentOptions }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly version: true }
  | { readonly ok: false; readonly errors: readonly OptionError[] };

/** What the caller knows about the host; passed in so parsing stays pure. */
export interface HostFacts {
  readonly hostname: string;
  readonly homedir: string;
}

type FlagName =
  'kubeconfig' | 'node-name' | 'namespace' | 'default-class' | 'lease-duration' | 'link-kind' | 'listen' | 'log-level';
const flagNames: readonly FlagName[] = [
  'kubeconfig',
  'node-name',
  'namespace',
  'default-class',
  'lease-duration',
  'link-kind',
  'listen',
  'log-level',
];
const isFlagName = (s: string): s is FlagName => (flagNames as readonly string[]).includes(s);

export const usage = `Usage: lbnodeagent [flags]
  --node-name NAME        this node (env NODE_NAME; default the host name)
  --kubeconfig PATH       client configuration (env KUBECONFIG; else in-cluster; else ~/.kube/config)
  --namespace NAME        install namespace for LBNodeAgents, ServiceGroups and membership Leases
                          (env PURELB_NAMESPACE; default purelb)
  --default-class[=BOOL]  handle Services without spec.loadBalancerClass (default true)
  --lease-duration D      membership Lease duration, e.g. 3s, 2500ms or 3000 (ms); default 3s
  --link-kind KIND        kind of the virtual interface when it is created: dummy, ifb or bridge (default dummy)
  --listen HOST:PORT      metrics and health endpoint (default 0.0.0.0:7473; port 0 picks one)
  --log-level LEVEL       fatal|error|warn|info|debug|trace|silent (default info)
  --version               print the version and exit
  --help                  print this text`;

/** Splits argv into flag values; unknown flags, missing values and repeats are errors. */
function readFlags(argv: readonly string[]): {
  flags: Map<FlagName, string>;
  help: boolean;
  version: boolean;
  errors: OptionError[];
} {
  const flags = new Map<FlagName, string>();
  const errors: OptionError[] = [];
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version') {
      version = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      errors.push({ path: arg, message: `unexpected argument "${arg}"; flags start with --` });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!isFlagName(name)) {
      errors.push({ path: `--${name}`, message: `unknown flag --${name}` });
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else if (name === 'default-class') {
      value = 'true';
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        errors.push({ path: `--${name}`, message: `--${name} needs a value` });
        continue;
      }
      value = next;
      i++;
    }
    if (flags.has(name)) {
      errors.push({ path: `--${name}`, message: `--${name} given more than once` });
      continue;
    }
    flags.set(name, value);
  }
  return { flags, help, version, errors };
}

/** Link kinds the virtual interface can be created with (kinds that need no parent and no settings). */
const linkKinds: readonly string[] = ['dummy', 'ifb', 'bridge'];

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `3s`, `2500ms` or a bare number of milliseconds; 1 s to 1 h. */
export function parseDuration(path: string, raw: string, errors: OptionError[]): number {
  const m = /^(\d+)(ms|s)?$/.exec(raw.trim());
  const ms = m === null ? Number.NaN : Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (!Number.isFinite(ms)) {
    errors.push({ path, message: `${path} must be a duration such as 3s or 3000ms, got "${raw}"` });
    return 0;
  }
  if (ms < 1000 || ms > 3_600_000)
    errors.push({ path, message: `${path} must be between 1s and 1h, got ${raw.trim()}` });
  return ms;
}

function parseBool(path: string, raw: string, errors: OptionError[]): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  errors.push({ path, message: `${path} must be true or false, got "${raw}"` });
  return true;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListen(path: string, raw: string, errors: OptionError[]): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d+)$/.exec(raw.trim());
  if (m === null) {
    errors.push({ path, message: `${path} must be HOST:PORT (IPv6 as [ADDR]:PORT), got "${raw}"` });
    return { host: '0.0.0.0', port: 0 };
  }
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? '0.0.0.0' : m[2]);
  const port = Number(m[3]);
  if (port > 65535) errors.push({ path, message: `${path} port must be 0..65535, got ${port}` });
  return { host, port };
}

interface KubeconfigInput {
  readonly flag: string | undefined;
  readonly env: (name: string) => string | undefined;
  readonly host: HostFacts;
  readonly errors: OptionError[];
}

function kubeconfigSource({ flag, env, host, errors }: KubeconfigInput): KubeconfigSource {
  const kubeEnv = env('KUBECONFIG');
  if (flag !== undefined) {
    if (flag.trim() === '') errors.push({ path: '--kubeconfig', message: '--kubeconfig must not be empty' });
    return { kind: 'file', path: flag.trim(), from: '--kubeconfig' };
  }
  // KUBECONFIG may list several files; the first one is used.
  if (kubeEnv !== undefined)
    return { kind: 'file', path: kubeEnv.split(':').find((p) => p !== '') ?? kubeEnv, from: 'KUBECONFIG' };
  if (env('KUBERNETES_SERVICE_HOST') !== undefined && env('KUBERNETES_SERVICE_PORT') !== undefined)
    return { kind: 'in-cluster' };
  return { kind: 'file', path: `${host.homedir}/.kube/config`, from: 'home' };
}

/**
 * Parses flags (which win) and environment variables into options; every problem is reported,
 * each naming the flag or variable it is about.
 */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  host: HostFacts,
): ParseOptionsResult {
  const { flags, help, version, errors } = readFlags(argv);
  if (help) return { ok: true, help: true };
  if (version) return { ok: true, version: true };
  const nonEmptyEnv = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const kubeconfig = kubeconfigSource({ flag: flags.get('kubeconfig'), env: nonEmptyEnv, host, errors });

  const nodeFlag = flags.get('node-name');
  const nodePath =
    nodeFlag !== undefined ? '--node-name' : nonEmptyEnv('NODE_NAME') !== undefined ? 'NODE_NAME' : 'the host name';
  const nodeName = (nodeFlag ?? nonEmptyEnv('NODE_NAME') ?? host.hostname).trim();
  if (nodeName.length > 253 || !dns1123Subdomain.test(nodeName)) {
    errors.push({
      path: nodePath,
      message: `${nodePath} must be a Kubernetes node name (lower-case DNS subdomain), got "${nodeName}"`,
    });
  }

  const nsFlag = flags.get('namespace');
  const nsPath = nsFlag !== undefined ? '--namespace' : 'PURELB_NAMESPACE';
  const namespace = (nsFlag ?? nonEmptyEnv('PURELB_NAMESPACE') ?? 'purelb').trim();
  if (namespace.length > 63 || !dns1123Label.test(namespace)) {
    errors.push({
      path: nsPath,
      message: `${nsPath} must be a DNS-1123 label (lower-case letters, digits, "-"), got "${namespace}"`,
    });
  }

  const dc = flags.get('default-class');
  const defaultClass = dc === undefined ? true : parseBool('--default-class', dc, errors);

  const leaseRaw = flags.get('lease-duration');
  const leaseDurationMs = leaseRaw === undefined ? 3000 : parseDuration('--lease-duration', leaseRaw, errors);

  const linkKind = (flags.get('link-kind') ?? 'dummy').trim();
  if (!linkKinds.includes(linkKind))
    errors.push({
      path: '--link-kind',
      message: `--link-kind must be one of ${linkKinds.join(', ')}, got "${linkKind}"`,
    });

  const listenRaw = flags.get('listen');
  const listen = listenRaw === undefined ? { host: '0.0.0.0', port: 7473 } : parseListen('--listen', listenRaw, errors);

  const levelRaw = (flags.get('log-level') ?? 'info').trim().toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === levelRaw);
  if (logLevel === undefined) {
    errors.push({
      path: '--log-level',
      message: `--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${levelRaw}"`,
    });
  }

  if (errors.length > 0 || logLevel === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: { kubeconfig, nodeName, namespace, defaultClass, leaseDurationMs, linkKind, listen, logLevel },
  };
}
