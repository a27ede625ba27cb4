// Command-line flags and environment → one validated, typed options object. Pure: the caller hands in
// argv, the environment and the host facts.
import { kubeconfigSource, LOG_LEVELS } from '@purelb/daemon-kit';
import type { LogLevel } from '@purelb/daemon-kit';
import type { KubeconfigSource } from '@purelb/k8s-watch';

export type { LogLevel } from '@purelb/daemon-kit';

export interface SidecarOptions {
  readonly kubeconfig: KubeconfigSource;
  /** Namespace of the routing ConfigMap. */
  readonly namespace: string;
  /** Name of the routing ConfigMap. */
  readonly configMap: string;
  /** This node, for the Events' source. */
  readonly nodeName: string;
  /** The node's IP (Downward API `status.hostIP`): the router ID when the input says `hostIP`. */
  readonly hostIp: string | undefined;
  readonly bird: string;
  readonly birdc: string;
  /** Where the daemon's configuration file and control socket live. */
  readonly runDir: string;
  readonly logLevel: LogLevel;
}

export interface OptionError {
  /** The flag or environment variable the error is about. */
  readonly path: string;
  readonly message: string;
}

export type ParseOptionsResult =
  | { readonly ok: true; readonly value: SidecarOptions }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: false; readonly errors: readonly OptionError[] };

export interface HostFacts {
  readonly hostname: string;
  readonly homedir: string;
}

export const usage = `Usage: routing-sidecar [flags]
  --kubeconfig PATH     client configuration (env KUBECONFIG; else in-cluster; else ~/.kube/config)
  --namespace NAME      namespace of the routing ConfigMap (env PURELB_NAMESPACE; default purelb)
  --configmap NAME      the routing ConfigMap (default purelb-routing)
  --node-name NAME      this node, named in Events (env NODE_NAME; default the host name)
  --host-ip ADDRESS     this node's IP, the router ID for routerID: hostIP (env HOST_IP)
  --bird PATH           the BIRD daemon (default bird)
  --birdc PATH          BIRD's control client (default birdc)
  --run-dir PATH        directory of bird.conf and the control socket bird.ctl (default /run/purelb-routing)
  --log-level LEVEL     fatal|error|warn|info|debug|trace|silent (default info)
  --help                print this text`;

const FLAGS = [
  'kubeconfig',
  'namespace',
  'configmap',
  'node-name',
  'host-ip',
  'bird',
  'birdc',
  'run-dir',
  'log-level',
] as const;
type Flag = (typeof FLAGS)[number];
const isFlag = (s: string): s is Flag => (FLAGS as readonly string[]).includes(s);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function readFlags(argv: readonly string[], errors: OptionError[]): { flags: Map<Flag, string>; help: boolean } {
  const flags = new Map<Flag, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : '';
    if (!isFlag(name)) {
      errors.push({
        path: arg,
        message: arg.startsWith('--') ? `unknown flag ${arg}` : `unexpected argument "${arg}"; flags start with --`,
      });
      continue;
    }
    const next = argv[i + 1];
    const value = eq !== -1 ? arg.slice(eq + 1) : next !== undefined && !next.startsWith('--') ? next : undefined;
    if (eq === -1 && value !== undefined) i++;
    if (value === undefined) errors.push({ path: `--${name}`, message: `--${name} needs a value` });
    else if (flags.has(name)) errors.push({ path: `--${name}`, message: `--${name} given more than once` });
    else flags.set(name, value.trim());
  }
  return { flags, help };
}

export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  host: HostFacts,
): ParseOptionsResult {
  const errors: OptionError[] = [];
  const { flags, help } = readFlags(argv, errors);
  if (help) return { ok: true, help: true };
  const fromEnv = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const pick = (flag: Flag, envName: string | undefined, fallback: string): { value: string; path: string } => {
    const f = flags.get(flag);
    if (f !== undefined) return { value: f, path: `--${flag}` };
    const e = envName === undefined ? undefined : fromEnv(envName);
    return e !== undefined && envName !== undefined
      ? { value: e, path: envName }
      : { value: fallback, path: `--${flag}` };
  };
  const require = (ok: boolean, path: string, message: string): void => {
    if (!ok) errors.push({ path, message: `${path} ${message}` });
  };

  const namespace = pick('namespace', 'PURELB_NAMESPACE', 'purelb');
  require(DNS_LABEL.test(namespace.value) &&
    namespace.value.length <= 63, namespace.path, `must be a DNS-1123 label, got "${namespace.value}"`);
  const configMap = pick('configmap', undefined, 'purelb-routing');
  require(DNS_SUBDOMAIN.test(configMap.value) &&
    configMap.value.length <= 253, configMap.path, `must be a ConfigMap name, got "${configMap.value}"`);
  const nodeName = pick('node-name', 'NODE_NAME', host.hostname);
  require(DNS_SUBDOMAIN.test(nodeName.value) &&
    nodeName.value.length <= 253, nodeName.path, `must be a Kubernetes node name, got "${nodeName.value}"`);
  const hostIp = flags.get('host-ip') ?? fromEnv('HOST_IP');
  const kubeconfig = kubeconfigSource({ flag: flags.get('kubeconfig'), env: fromEnv, homedir: host.homedir }, errors);
  const empty = (['bird', 'birdc', 'run-dir'] as const).filter((f) => flags.get(f) === '');
  for (const f of empty) errors.push({ path: `--${f}`, message: `--${f} must not be empty` });
  const level = pick('log-level', undefined, 'info').value.toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === level);
  require(logLevel !== undefined, '--log-level', `must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);

  if (errors.length > 0 || logLevel === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kubeconfig,
      namespace: namespace.value,
      configMap: configMap.value,
      nodeName: nodeName.value,
      hostIp,
      bird: flags.get('bird') ?? 'bird',
      birdc: flags.get('birdc') ?? 'birdc',
      runDir: flags.get('run-dir') ?? '/run/purelb-routing',
      logLevel,
    },
  };
}
