// The parts of a daemon's command line that every PureLB daemon reads the same way: `--flag value`
// and `--flag=value`, `--help` and `--version`, booleans, `--listen HOST:PORT`, and where the
// cluster's client configuration comes from. Pure: argv and the environment are handed in. Every
// problem is reported with the flag or variable it is about; none stops the reading of the others.
import type { KubeconfigSource } from '@purelb/k8s-watch';
import type { ListenAddress } from './health-server.ts';

export type CommandLineErrorCode =
  'UnexpectedArgument' | 'UnknownFlag' | 'MissingValue' | 'RepeatedFlag' | 'InvalidValue' | 'OutOfRange';

export interface CommandLineError {
  readonly code: CommandLineErrorCode;
  /** The flag or environment variable the error is about, e.g. `--listen` or `KUBECONFIG`. */
  readonly path: string;
  readonly message: string;
}

/** Where problems go: a daemon's own list of option errors. */
export interface ErrorSink {
  push(error: CommandLineError): unknown;
}

export interface FlagsRead<F extends string> {
  /** Each flag's value as given (untrimmed). */
  readonly flags: ReadonlyMap<F, string>;
  readonly help: boolean;
  readonly version: boolean;
}

/**
 * Splits argv into flag values. `--help`/`-h` and `--version` are noted; a flag in `bare` may stand
 * without a value (it means `true`); unknown flags, missing values and repeats are errors.
 */
export function readFlags<F extends string>(
  argv: readonly string[],
  spec: { readonly names: readonly F[]; readonly bare?: readonly F[] },
  errors: ErrorSink,
): FlagsRead<F> {
  const { names, bare = [] } = spec;
  const isName = (s: string): s is F => (names as readonly string[]).includes(s);
  const flags = new Map<F, string>();
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
      errors.push({
        code: 'UnexpectedArgument',
        path: arg,
        message: `unexpected argument "${arg}"; flags start with --`,
      });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!isName(name)) {
      errors.push({ code: 'UnknownFlag', path: `--${name}`, message: `unknown flag --${name}` });
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else if (bare.includes(name)) {
      value = 'true';
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        errors.push({ code: 'MissingValue', path: `--${name}`, message: `--${name} needs a value` });
        continue;
      }
      value = next;
      i++;
    }
    if (flags.has(name)) {
      errors.push({ code: 'RepeatedFlag', path: `--${name}`, message: `--${name} given more than once` });
      continue;
    }
    flags.set(name, value);
  }
  return { flags, help, version };
}

/** `true`/`1`/`yes` or `false`/`0`/`no`, any case; anything else is an error (and reads as true). */
export function parseBool(path: string, raw: string, errors: ErrorSink): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  errors.push({ code: 'InvalidValue', path, message: `${path} must be true or false, got "${raw}"` });
  return true;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListen(path: string, raw: string, errors: ErrorSink): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d+)$/.exec(raw.trim());
  if (m === null) {
    errors.push({
      code: 'InvalidValue',
      path,
      message: `${path} must be HOST:PORT (IPv6 as [ADDR]:PORT), got "${raw}"`,
    });
    return { host: '0.0.0.0', port: 0 };
  }
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? '0.0.0.0' : m[2]);
  const port = Number(m[3]);
  if (port > 65535) errors.push({ code: 'OutOfRange', path, message: `${path} port must be 0..65535, got ${port}` });
  return { host, port };
}

/**
 * Where the client configuration comes from: `--kubeconfig` (must not be empty), else the first file
 * of `KUBECONFIG`, else the pod's service account when `KUBERNETES_SERVICE_HOST` and `_PORT` are
 * set, else `~/.kube/config`. `env` answers only non-empty values.
 */
export function kubeconfigSource(
  input: {
    readonly flag: string | undefined;
    readonly env: (name: string) => string | undefined;
    readonly homedir: string;
  },
  errors: ErrorSink,
): KubeconfigSource {
  const { flag, env, homedir } = input;
  if (flag !== undefined) {
    if (flag.trim() === '')
      errors.push({ code: 'InvalidValue', path: '--kubeconfig', message: '--kubeconfig must not be empty' });
    return { kind: 'file', path: flag.trim(), from: '--kubeconfig' };
  }
  const kubeEnv = env('KUBECONFIG');
  // KUBECONFIG may list several files; the first one is used.
  if (kubeEnv !== undefined)
    return { kind: 'file', path: kubeEnv.split(':').find((p) => p !== '') ?? kubeEnv, from: 'KUBECONFIG' };
  if (env('KUBERNETES_SERVICE_HOST') !== undefined && env('KUBERNETES_SERVICE_PORT') !== undefined)
    return { kind: 'in-cluster' };
  return { kind: 'file', path: `${homedir}/.kube/config`, from: 'home' };
}
