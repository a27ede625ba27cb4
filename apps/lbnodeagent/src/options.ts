// Command-line flags and environment → one validated, typed options object.
// Pure: the caller hands in argv, the environment and the host facts; nothing here reads the process.
import { kubeconfigSource, LOG_LEVELS, parseBool, parseListen, readFlags } from '@purelb/daemon-kit';
import type { CommandLineErrorCode, ListenAddress, LogLevel } from '@purelb/daemon-kit';
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
  /** Set for what every daemon's command line reports alike (`UnknownFlag`, `MissingValue`, …). */
  readonly code?: CommandLineErrorCode;
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

/**
 * Parses flags (which win) and environment variables into options; every problem is reported,
 * each naming the flag or variable it is about.
 */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  host: HostFacts,
): ParseOptionsResult {
  const errors: OptionError[] = [];
  const { flags, help, version } = readFlags(argv, { names: flagNames, bare: ['default-class'] }, errors);
  if (help) return { ok: true, help: true };
  if (version) return { ok: true, version: true };
  const nonEmptyEnv = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const kubeconfig = kubeconfigSource(
    { flag: flags.get('kubeconfig'), env: nonEmptyEnv, homedir: host.homedir },
    errors,
  );

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
