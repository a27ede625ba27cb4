// The routing ConfigMap's data → a validated `RoutingConfig`, or every problem located by its path
// (`peers[1].asn: 4294967296 is out of range 1..4294967295`). Pure: one function for the daemon and
// its tests. Unknown fields are problems too, so that a misspelt `pasword` never goes unnoticed.
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import { LineCounter, parseDocument } from 'yaml';
import {
  ADDRESS_FAMILIES,
  DEFAULT_BGP_PORT,
  DEFAULT_CONNECT_DELAY_SECONDS,
  DEFAULT_CONNECT_RETRY_SECONDS,
  DEFAULT_ERROR_WAIT_MAX_SECONDS,
  DEFAULT_ERROR_WAIT_SECONDS,
  DEFAULT_HOLD_SECONDS,
  DEFAULT_INTERFACE,
} from './routing-config.ts';
import type {
  AddressFamily,
  BgpTimers,
  Community,
  PeerConfig,
  RouterIdSource,
  RoutingConfig,
  RoutingProblem,
  RoutingProblemCode,
} from './routing-config.ts';

/** The key of the ConfigMap's `data` that holds the routing input. */
export const ROUTING_CONFIG_KEY = 'routing.yaml';

export type ParseRoutingConfigResult =
  | { readonly ok: true; readonly value: RoutingConfig }
  | { readonly ok: false; readonly errors: readonly RoutingProblem[] };

const MAX_ASN = 4294967295;
const MAX_U16 = 65535;
/** Linux interface names: 1..15 bytes, no slash, no whitespace, not `.` or `..`. */
const INTERFACE_NAME = /^[A-Za-z0-9_.:@-]{1,15}$/;

type Fields = Readonly<Record<string, unknown>>;

class Problems {
  readonly list: RoutingProblem[] = [];
  add(code: RoutingProblemCode, path: string, message: string): void {
    this.list.push({ code, path, message });
  }
}

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`);
const describe = (v: unknown): string =>
  typeof v === 'string' ? `"${v}"` : v === undefined ? 'undefined' : JSON.stringify(v);

/** Every key of `fields` outside `known.names` is a problem at `known.base.<key>`. */
function checkKnown(
  fields: Fields,
  known: { readonly names: readonly string[]; readonly base: string },
  problems: Problems,
): void {
  const { names, base } = known;
  for (const key of Object.keys(fields)) {
    if (!names.includes(key))
      problems.add('UnknownField', join(base, key), `unknown field; expected one of ${names.join(', ')}`);
  }
}

function readInteger(
  value: unknown,
  at: { path: string; min: number; max: number },
  problems: Problems,
): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.add('WrongType', at.path, `${describe(value)} is not an integer`);
    return undefined;
  }
  if (value < at.min || value > at.max) {
    problems.add('OutOfRange', at.path, `${value} is out of range ${at.min}..${at.max}`);
    return undefined;
  }
  return value;
}

function readString(value: unknown, path: string, problems: Problems): string | undefined {
  if (typeof value !== 'string') {
    problems.add('WrongType', path, `${describe(value)} is not a string`);
    return undefined;
  }
  return value;
}

function readAddress(
  value: unknown,
  path: string,
  problems: Problems,
): { address: string; family: AddressFamily } | undefined {
  const text = readString(value, path, problems);
  if (text === undefined) return undefined;
  const parsed = parseAddress(text.trim());
  if (!parsed.ok) {
    problems.add('InvalidAddress', path, `${describe(text)} is neither an IPv4 nor an IPv6 address`);
    return undefined;
  }
  return { address: formatAddress(parsed.value), family: parsed.value.family === 'IPv4' ? 'ipv4' : 'ipv6' };
}

function readFamilies(
  value: unknown,
  at: { path: string; session: AddressFamily },
  problems: Problems,
): AddressFamily[] | undefined {
  if (value === undefined) return [at.session];
  if (!Array.isArray(value) || value.length === 0) {
    problems.add('WrongType', at.path, 'must be a non-empty list of ipv4, ipv6');
    return undefined;
  }
  const families: AddressFamily[] = [];
  value.forEach((item: unknown, i) => {
    const path = `${at.path}[${i}]`;
    const name = typeof item === 'string' ? item.toLowerCase() : item;
    if (!ADDRESS_FAMILIES.includes(name as AddressFamily)) {
      problems.add('UnknownFamily', path, `${describe(item)} is not a known address family (ipv4, ipv6)`);
    } else if (name === 'ipv6' && at.session === 'ipv4') {
      problems.add('UnsupportedFamily', path, 'ipv6 routes need an IPv6 next hop: peer over an IPv6 address for them');
    } else if (!families.includes(name as AddressFamily)) {
      families.push(name as AddressFamily);
    }
  });
  return families;
}

const PEER_FIELDS = ['address', 'asn', 'families', 'password', 'port', 'multihop'];

function readPeer(value: unknown, path: string, problems: Problems): PeerConfig | undefined {
  if (!isFields(value)) {
    problems.add('WrongType', path, 'must be a mapping with address and asn');
    return undefined;
  }
  checkKnown(value, { names: PEER_FIELDS, base: path }, problems);
  if (value['address'] === undefined) problems.add('MissingField', `${path}.address`, 'the peer address is required');
  if (value['asn'] === undefined) problems.add('MissingField', `${path}.asn`, "the peer's AS number is required");
  const address =
    value['address'] === undefined ? undefined : readAddress(value['address'], `${path}.address`, problems);
  const asn =
    value['asn'] === undefined
      ? undefined
      : readInteger(value['asn'], { path: `${path}.asn`, min: 1, max: MAX_ASN }, problems);
  const families = readFamilies(
    value['families'],
    { path: `${path}.families`, session: address?.family ?? 'ipv4' },
    problems,
  );
  const password =
    value['password'] === undefined ? undefined : readString(value['password'], `${path}.password`, problems);
  if (password?.includes('"') === true || password?.includes('\\') === true || password === '') {
    problems.add('WrongType', `${path}.password`, 'must be non-empty and hold no double quote or backslash');
  }
  const port =
    value['port'] === undefined
      ? DEFAULT_BGP_PORT
      : readInteger(value['port'], { path: `${path}.port`, min: 1, max: MAX_U16 }, problems);
  const multihop =
    value['multihop'] === undefined
      ? undefined
      : readInteger(value['multihop'], { path: `${path}.multihop`, min: 1, max: 255 }, problems);
  if (address === undefined || asn === undefined || families === undefined || port === undefined) return undefined;
  return {
    address: address.address,
    sessionFamily: address.family,
    asn,
    families,
    port,
    ...(password === undefined ? {} : { password }),
    ...(multihop === undefined ? {} : { multihop }),
  };
}

function readRouterId(value: unknown, path: string, problems: Problems): RouterIdSource | undefined {
  if (value === undefined || value === 'hostIP') return { kind: 'host-ip' };
  if (typeof value === 'string' && value.startsWith('interface:')) {
    const name = value.slice('interface:'.length);
    if (INTERFACE_NAME.test(name)) return { kind: 'interface', name };
  }
  problems.add('InvalidRouterId', path, `${describe(value)} is not a router ID source; use hostIP or interface:NAME`);
  return undefined;
}

function readCommunity(value: unknown, path: string, problems: Problems): Community | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  const parts = text.split(':');
  const numbers = parts.map((p) => (/^\d{1,10}$/.test(p) ? Number(p) : Number.NaN));
  if (numbers.length === 2 && numbers.every((n) => n <= MAX_U16))
    return { kind: 'standard', asn: numbers[0] ?? 0, value: numbers[1] ?? 0 };
  if (numbers.length === 3 && numbers.every((n) => n <= MAX_ASN)) {
    return { kind: 'large', global: numbers[0] ?? 0, local1: numbers[1] ?? 0, local2: numbers[2] ?? 0 };
  }
  problems.add(
    'InvalidCommunity',
    path,
    `${describe(value)} is not a community: ASN:VALUE (each 0..65535) or GLOBAL:LOCAL1:LOCAL2 (each 0..4294967295)`,
  );
  return undefined;
}

const TIMER_FIELDS = ['hold', 'keepalive', 'connectRetry', 'connectDelay', 'errorWait', 'errorWaitMax'];

function readTimers(value: unknown, problems: Problems): BgpTimers | undefined {
  const fields = value === undefined ? {} : value;
  if (!isFields(fields)) {
    problems.add('WrongType', 'timers', 'must be a mapping of timer names to seconds');
    return undefined;
  }
  checkKnown(fields, { names: TIMER_FIELDS, base: 'timers' }, problems);
  const read = (key: string, fallback: number, range: { min: number; max: number }): number | undefined =>
    fields[key] === undefined ? fallback : readInteger(fields[key], { path: `timers.${key}`, ...range }, problems);
  const hold = read('hold', DEFAULT_HOLD_SECONDS, { min: 0, max: MAX_U16 });
  if (hold !== undefined && hold > 0 && hold < 3)
    problems.add('OutOfRange', 'timers.hold', `${hold} is out of range: 0 or 3..65535`);
  const keepalive = read('keepalive', Math.max(1, Math.floor((hold ?? DEFAULT_HOLD_SECONDS) / 3)), {
    min: 1,
    max: MAX_U16,
  });
  if (hold !== undefined && keepalive !== undefined && hold > 0 && keepalive >= hold) {
    problems.add('OutOfRange', 'timers.keepalive', `${keepalive} must be below the hold time (${hold})`);
  }
  const connectRetry = read('connectRetry', DEFAULT_CONNECT_RETRY_SECONDS, { min: 1, max: MAX_U16 });
  const connectDelay = read('connectDelay', DEFAULT_CONNECT_DELAY_SECONDS, { min: 1, max: MAX_U16 });
  const errorWait = read('errorWait', DEFAULT_ERROR_WAIT_SECONDS, { min: 1, max: MAX_U16 });
  const errorWaitMax = read('errorWaitMax', Math.max(errorWait ?? 1, DEFAULT_ERROR_WAIT_MAX_SECONDS), {
    min: 1,
    max: MAX_U16,
  });
  if (errorWait !== undefined && errorWaitMax !== undefined && errorWaitMax < errorWait) {
    problems.add('OutOfRange', 'timers.errorWaitMax', `${errorWaitMax} is below errorWait (${errorWait})`);
  }
  if (hold === undefined || keepalive === undefined || connectRetry === undefined || connectDelay === undefined)
    return undefined;
  if (errorWait === undefined || errorWaitMax === undefined) return undefined;
  return {
    holdSeconds: hold,
    keepaliveSeconds: keepalive,
    connectRetrySeconds: connectRetry,
    connectDelaySeconds: connectDelay,
    errorWaitSeconds: errorWait,
    errorWaitMaxSeconds: errorWaitMax,
  };
}

const TOP_FIELDS = ['localASN', 'routerID', 'interface', 'communities', 'peers', 'timers'];

/** Reads the routing input from a ConfigMap's `data` (the `routing.yaml` key). */
export function parseRoutingConfig(data: Readonly<Record<string, string>> | undefined): ParseRoutingConfigResult {
  const problems = new Problems();
  const text = data?.[ROUTING_CONFIG_KEY];
  if (text === undefined) {
    problems.add('MissingKey', `data.${ROUTING_CONFIG_KEY}`, 'the ConfigMap has no routing input under this key');
    return { ok: false, errors: problems.list };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const at = lines.linePos(e.pos[0]);
      const where = ` (line ${at.line}, column ${at.col})`;
      problems.add(
        'InvalidYaml',
        `data.${ROUTING_CONFIG_KEY}`,
        `is not valid YAML${where}: ${e.message.split('\n')[0] ?? ''}`,
      );
    }
    return { ok: false, errors: problems.list };
  }
  const root: unknown = doc.toJS();
  if (!isFields(root)) {
    problems.add('WrongType', `data.${ROUTING_CONFIG_KEY}`, 'must be a mapping with localASN and peers');
    return { ok: false, errors: problems.list };
  }
  checkKnown(root, { names: TOP_FIELDS, base: '' }, problems);
  if (root['localASN'] === undefined) problems.add('MissingField', 'localASN', "this cluster's AS number is required");
  const localAsn =
    root['localASN'] === undefined
      ? undefined
      : readInteger(root['localASN'], { path: 'localASN', min: 1, max: MAX_ASN }, problems);
  const routerId = readRouterId(root['routerID'], 'routerID', problems);
  const iface =
    root['interface'] === undefined ? DEFAULT_INTERFACE : readString(root['interface'], 'interface', problems);
  if (iface !== undefined && !INTERFACE_NAME.test(iface)) {
    problems.add(
      'InvalidInterface',
      'interface',
      `${describe(iface)} is not an interface name (1..15 letters, digits, _ . : @ -)`,
    );
  }
  const rawCommunities = root['communities'] ?? [];
  const communities: Community[] = [];
  if (Array.isArray(rawCommunities)) {
    rawCommunities.forEach((c: unknown, i) => {
      const community = readCommunity(c, `communities[${i}]`, problems);
      if (community !== undefined) communities.push(community);
    });
  } else {
    problems.add('WrongType', 'communities', 'must be a list such as ["64512:100"]');
  }
  const peers: PeerConfig[] = [];
  const rawPeers = root['peers'];
  if (rawPeers === undefined) problems.add('MissingField', 'peers', 'at least one peer is required');
  else if (!Array.isArray(rawPeers) || rawPeers.length === 0)
    problems.add('WrongType', 'peers', 'must be a non-empty list of peers');
  else {
    const seen = new Map<string, number>();
    rawPeers.forEach((p: unknown, i) => {
      const peer = readPeer(p, `peers[${i}]`, problems);
      if (peer === undefined) return;
      const key = `${peer.address} ${peer.port}`;
      const first = seen.get(key);
      if (first !== undefined)
        problems.add(
          'DuplicatePeer',
          `peers[${i}].address`,
          `${peer.address} port ${peer.port} is already peers[${first}]`,
        );
      else seen.set(key, i);
      peers.push(peer);
    });
  }
  const timers = readTimers(root['timers'], problems);
  if (
    problems.list.length > 0 ||
    localAsn === undefined ||
    routerId === undefined ||
    iface === undefined ||
    timers === undefined
  ) {
    return { ok: false, errors: problems.list };
  }
  return { ok: true, value: { localAsn, routerId, interface: iface, communities, peers, timers } };
}
