// The LBNodeAgent `spec` (plain JSON, typed unknown) → the agent's configuration, or every located
// problem. Pure: the same function serves the daemon and the tests. Absent fields take the CRD's
// defaults, so an agent with no LBNodeAgent at all behaves like one with an empty spec.
import { boundText } from '@purelb/ipam-core';

/** Where local addresses go: the interface of the default route per family, or the first interface whose name matches. */
export type LocalInterfaceRule =
  { readonly kind: 'default' } | { readonly kind: 'pattern'; readonly source: string; readonly regex: RegExp };

export interface AgentConfig {
  readonly localInterface: LocalInterfaceRule;
  /** The virtual interface (`extlbint`). */
  readonly virtualInterface: string;
  /** Gratuitous ARP / unsolicited NA after adding a local address. */
  readonly sendGarp: boolean;
}

export const DEFAULT_CONFIG: AgentConfig = {
  localInterface: { kind: 'default' },
  virtualInterface: 'kube-lb0',
  sendGarp: true,
};

/** Why a field cannot be used. Closed union: it may grow in a minor release. */
export type ConfigProblemCode = 'InvalidType' | 'InvalidPattern' | 'InvalidInterfaceName';

export interface ConfigProblem {
  readonly code: ConfigProblemCode;
  /** E.g. `spec.local.localint`. */
  readonly path: string;
  readonly message: string;
}

export type ParseAgentConfigResult =
  | { readonly ok: true; readonly value: AgentConfig }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

/** A value of the wrong type, for a message: its JSON, bounded. */
const shown = (v: unknown): string => boundText(JSON.stringify(v), { quote: false });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Linux interface name: 1..15 bytes, no `/`, `:` or whitespace, not `.` or `..`. */
export function isInterfaceName(name: string): boolean {
  return /^[^/:\s]{1,15}$/.test(name) && Buffer.byteLength(name) <= 15 && name !== '.' && name !== '..';
}

function parseLocalInterface(raw: unknown, errors: ConfigProblem[]): LocalInterfaceRule {
  const path = 'spec.local.localint';
  if (raw === undefined || raw === null) return DEFAULT_CONFIG.localInterface;
  if (typeof raw !== 'string') {
    errors.push({ code: 'InvalidType', path, message: `${path} must be a string, got ${shown(raw)}` });
    return DEFAULT_CONFIG.localInterface;
  }
  const text = raw.trim();
  if (text === 'default') return { kind: 'default' };
  if (text === '') {
    errors.push({
      code: 'InvalidPattern',
      path,
      message: `${path} must be "default" or a regular expression, got an empty string`,
    });
    return DEFAULT_CONFIG.localInterface;
  }
  try {
    return { kind: 'pattern', source: text, regex: new RegExp(text, 'u') };
  } catch (err: unknown) {
    const why = err instanceof Error ? err.message : String(err);
    errors.push({
      code: 'InvalidPattern',
      path,
      message: `${path} ${boundText(text)} is not a regular expression (${boundText(why, { quote: false })})`,
    });
    return DEFAULT_CONFIG.localInterface;
  }
}

/** Parses an LBNodeAgent `spec` (undefined = no LBNodeAgent: the defaults). */
export function parseAgentConfig(spec: unknown): ParseAgentConfigResult {
  const errors: ConfigProblem[] = [];
  if (spec !== undefined && spec !== null && !isRecord(spec)) {
    return { ok: false, errors: [{ code: 'InvalidType', path: 'spec', message: 'spec must be an object' }] };
  }
  const local: unknown = isRecord(spec) ? spec.local : undefined;
  if (local !== undefined && local !== null && !isRecord(local)) {
    return {
      ok: false,
      errors: [{ code: 'InvalidType', path: 'spec.local', message: 'spec.local must be an object' }],
    };
  }
  const fields = isRecord(local) ? local : {};

  const localInterface = parseLocalInterface(fields.localint, errors);

  let virtualInterface = DEFAULT_CONFIG.virtualInterface;
  const ext = fields.extlbint;
  if (ext !== undefined && ext !== null) {
    const path = 'spec.local.extlbint';
    if (typeof ext !== 'string') {
      errors.push({ code: 'InvalidType', path, message: `${path} must be a string, got ${shown(ext)}` });
    } else if (!isInterfaceName(ext.trim())) {
      errors.push({
        code: 'InvalidInterfaceName',
        path,
        message: `${path} ${boundText(ext)} is not a Linux interface name (1 to 15 characters, no "/", ":" or whitespace, not "." or "..")`,
      });
    } else {
      virtualInterface = ext.trim();
    }
  }

  let sendGarp = DEFAULT_CONFIG.sendGarp;
  const garp = fields.sendgarp;
  if (garp !== undefined && garp !== null) {
    if (typeof garp === 'boolean') sendGarp = garp;
    else
      errors.push({
        code: 'InvalidType',
        path: 'spec.local.sendgarp',
        message: `spec.local.sendgarp must be true or false, got ${shown(garp)}`,
      });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { localInterface, virtualInterface, sendGarp } };
}

/** The configuration as text, for logs and comparisons. */
export function describeConfig(config: AgentConfig): string {
  const local = config.localInterface.kind === 'default' ? 'default' : config.localInterface.source;
  return `localint=${local} extlbint=${config.virtualInterface} sendgarp=${config.sendGarp}`;
}
