import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ProcessRecord } from './managed-process.ts';
import type { PkiPaths } from './pki.ts';

/**
 * Everything needed to reach, restart and stop a running control plane from any process. Kept as
 * JSON in the control plane's directory and rewritten when kube-apiserver restarts.
 */
export interface ControlPlaneState {
  readonly version: 1;
  readonly dir: string;
  readonly binDir: string;
  readonly kubeconfigPath: string;
  readonly server: string;
  readonly etcdUrl: string;
  readonly pki: PkiPaths;
  readonly etcd: ProcessRecord;
  readonly apiServer: ProcessRecord;
}

export type StateResult =
  { readonly ok: true; readonly value: ControlPlaneState } | { readonly ok: false; readonly errors: readonly string[] };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads non-empty strings of `obj` (found at `where`, e.g. `pki.`); a missing one is reported to `errors`. */
function stringsOf(obj: Json, where: string, errors: string[]): (key: string) => string {
  return (key) => {
    const v = obj[key];
    if (typeof v === 'string' && v !== '') return v;
    errors.push(`${where}${key}: expected a non-empty string`);
    return '';
  };
}

function processAt(obj: Json, key: string, errors: string[]): ProcessRecord {
  const v = obj[key];
  if (!isObject(v)) {
    errors.push(`${key}: expected an object`);
    return { pid: 0, binary: '', args: [], logPath: '' };
  }
  const pid = v['pid'];
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) errors.push(`${key}.pid: expected a PID above 1`);
  const args = v['args'];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string'))
    errors.push(`${key}.args: expected a list of strings`);
  const stringAt = stringsOf(v, `${key}.`, errors);
  return {
    pid: typeof pid === 'number' ? pid : 0,
    binary: stringAt('binary'),
    args: Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string') : [],
    logPath: stringAt('logPath'),
  };
}

const PKI_KEYS = [
  'caCert',
  'servingCert',
  'servingKey',
  'adminCert',
  'adminKey',
  'serviceAccountKey',
  'serviceAccountPub',
] as const;

/** Parses and checks a state file's text; every problem is reported with the field it concerns. */
export function parseState(text: string): StateResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`not JSON: ${(error as Error).message}`] };
  }
  if (!isObject(raw)) return { ok: false, errors: ['expected a JSON object'] };
  const errors: string[] = [];
  if (raw['version'] !== 1) errors.push('version: expected 1');
  const pkiRaw = raw['pki'];
  const pki = {} as Record<(typeof PKI_KEYS)[number], string>;
  if (isObject(pkiRaw)) {
    const pkiString = stringsOf(pkiRaw, 'pki.', errors);
    for (const k of PKI_KEYS) pki[k] = pkiString(k);
  } else {
    errors.push('pki: expected an object');
  }
  const stringAt = stringsOf(raw, '', errors);
  const value: ControlPlaneState = {
    version: 1,
    dir: stringAt('dir'),
    binDir: stringAt('binDir'),
    kubeconfigPath: stringAt('kubeconfigPath'),
    server: stringAt('server'),
    etcdUrl: stringAt('etcdUrl'),
    pki,
    etcd: processAt(raw, 'etcd', errors),
    apiServer: processAt(raw, 'apiServer', errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** Reads a state file; throws with every problem listed when it cannot be used. */
export function readState(path: string): ControlPlaneState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read control-plane state ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseState(text);
  if (!parsed.ok) throw new Error(`control-plane state ${path} is invalid:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.value;
}

/** Writes a state file atomically (temp file + rename), so readers never see half of it. */
export function writeState(path: string, state: ControlPlaneState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
