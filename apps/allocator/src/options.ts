// Command-line flags and environment → one validated, typed options object.
// Pure: the caller hands in argv, the environment and the host facts; nothing here reads the process.
import { kubeconfigSource, LOG_LEVELS, parseBool, parseListen, readFlags } from '@purelb/daemon-kit';
import type { CommandLineErrorCode, ListenAddress, LogLevel } from '@purelb/daemon-kit';
import type { KubeconfigSource } from '@purelb/k8s-watch';

export type { ListenAddress, LogLevel } from '@purelb/daemon-kit';

export interface AllocatorOptions {
  readonly kubeconfig: KubeconfigSource;
  /** Install namespace: ServiceGroups are read from it and the leader Lease lives in it. */
  readonly namespace: string;
  /** Whether Services without `spec.loadBalancerClass` are ours. */
  readonly defaultClass: boolean;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly listen: ListenAddress;
  readonly logLevel: LogLevel;
}

/** What is wrong with a flag or variable. Closed, but may grow in a minor release. */
export type OptionErrorCode = CommandLineErrorCode | 'Inconsistent';

export interface OptionError {
  readonly code: OptionErrorCode;
  /** The flag or environment variable the error is about, e.g. `--lease-duration` or `PURELB_NAMESPACE`. */
  readonly path: string;
  readonly message: string;
}

/** What the command line asks for: run with these options, print the usage text, or print the version. */
export type Invocation =
  | { readonly kind: 'run'; readonly options: AllocatorOptions }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' };

export type ParseOptionsResult =
  { readonly ok: true; readonly value: Invocation } | { readonly ok: false; readonly errors: readonly OptionError[] };

/** What the caller knows about the host; passed in so parsing stays pure. */
export interface HostFacts {
  readonly hostname: string;
  readonly pid: number;
  readonly homedir: string;
}

export const LEASE_NAME = 'purelb-allocator';

type FlagName =
  | 'kubeconfig'
  | 'namespace'
  | 'default-class'
  | 'identity'
  | 'lease-duration'
  | 'renew-deadline'
  | 'retry-period'
  | 'listen'
  | 'log-level';
const flagNames: readonly FlagName[] = [
  'kubeconfig',
  'namespace',
  'default-class',
  'identity',
  'lease-duration',
  'renew-deadline',
  'retry-period',
  'listen',
  'log-level',
];

export const usage = `Usage: allocator [flags]
  --kubeconfig PATH       client configuration (env KUBECONFIG; else in-cluster; else ~/.kube/config)
  --namespace NAME        install namespace for ServiceGroups and the Lease (env PURELB_NAMESPACE; default purelb)
  --default-class[=BOOL]  handle Services without spec.loadBalancerClass (default true)
  --identity NAME         leadership identity (env POD_NAME; default HOSTNAME-PID)
  --lease-duration MS     leader Lease duration (default 15000)
  --renew-deadline MS     give up leadership when renewal fails this long (default 10000)
  --retry-period MS       interval between attempts to acquire or renew the leader Lease (default 2000)
  --listen HOST:PORT      metrics and health endpoint (default 0.0.0.0:7472; port 0 picks one)
  --log-level LEVEL       fatal|error|warn|info|debug|trace|silent (default info)
  --version               print the version and exit
  --help                  print this text`;

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function parseMillis(path: string, raw: string, errors: OptionError[]): number {
  if (!/^\d+$/.test(raw.trim())) {
    errors.push({
      code: 'InvalidValue',
      path,
      message: `${path} must be a whole number of milliseconds, got "${raw}"`,
    });
    return 0;
  }
  const n = Number(raw.trim());
  if (n < 1 || n > 3_600_000) {
    errors.push({ code: 'OutOfRange', path, message: `${path} must be between 1 and 3600000 ms, got ${raw.trim()}` });
  }
  return n;
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
  if (help) return { ok: true, value: { kind: 'help', text: usage } };
  if (version) return { ok: true, value: { kind: 'version' } };
  const nonEmptyEnv = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const kubeconfig = kubeconfigSource(
    { flag: flags.get('kubeconfig'), env: nonEmptyEnv, homedir: host.homedir },
    errors,
  );

  const nsFlag = flags.get('namespace');
  const nsPath = nsFlag !== undefined ? '--namespace' : 'PURELB_NAMESPACE';
  const namespace = (nsFlag ?? nonEmptyEnv('PURELB_NAMESPACE') ?? 'purelb').trim();
  if (namespace.length > 63 || !dns1123Label.test(namespace)) {
    errors.push({
      code: 'InvalidValue',
      path: nsPath,
      message: `${nsPath} must be a DNS-1123 label (lower-case letters, digits, "-"), got "${namespace}"`,
    });
  }

  const dc = flags.get('default-class');
  const defaultClass = dc === undefined ? true : parseBool('--default-class', dc, errors);

  const idFlag = flags.get('identity');
  const idPath = idFlag !== undefined ? '--identity' : 'POD_NAME';
  const identity = (idFlag ?? nonEmptyEnv('POD_NAME') ?? `${host.hostname}-${host.pid}`).trim();
  if (identity === '' || identity.length > 253) {
    errors.push({ code: 'InvalidValue', path: idPath, message: `${idPath} must be 1..253 characters` });
  }

  const ms = (name: FlagName, dflt: number): number => {
    const raw = flags.get(name);
    return raw === undefined ? dflt : parseMillis(`--${name}`, raw, errors);
  };
  const leaseDurationMs = ms('lease-duration', 15_000);
  const renewDeadlineMs = ms('renew-deadline', 10_000);
  const retryPeriodMs = ms('retry-period', 2_000);
  if (errors.every((e) => !['--lease-duration', '--renew-deadline', '--retry-period'].includes(e.path))) {
    if (renewDeadlineMs >= leaseDurationMs) {
      errors.push({
        code: 'Inconsistent',
        path: '--renew-deadline',
        message: `--renew-deadline (${renewDeadlineMs} ms) must be shorter than --lease-duration (${leaseDurationMs} ms)`,
      });
    }
    if (retryPeriodMs >= renewDeadlineMs) {
      errors.push({
        code: 'Inconsistent',
        path: '--retry-period',
        message: `--retry-period (${retryPeriodMs} ms) must be shorter than --renew-deadline (${renewDeadlineMs} ms)`,
      });
    }
  }

  const listenRaw = flags.get('listen');
  const listen = listenRaw === undefined ? { host: '0.0.0.0', port: 7472 } : parseListen('--listen', listenRaw, errors);

  const levelRaw = (flags.get('log-level') ?? 'info').trim().toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === levelRaw);
  if (logLevel === undefined) {
    errors.push({
      code: 'InvalidValue',
      path: '--log-level',
      message: `--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${levelRaw}"`,
    });
  }

  if (errors.length > 0 || logLevel === undefined) return { ok: false, errors };
  const options: AllocatorOptions = {
    kubeconfig,
    namespace,
    defaultClass,
    identity,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    listen,
    logLevel,
  };
  return { ok: true, value: { kind: 'run', options } };
}
