// The lab's topology as data: which namespaces exist, which segments (bridged LANs) they join, with
// which interface names, MACs, addresses and routes. Pure: `createLab` turns a plan into `ip`
// commands, and every test and the README can read the same plan.

/** A bridged segment: `lan1` always; `lan2` with `secondLan` or `secondLanOnly`; `remote` with `router`. */
export type LabSegmentName = 'lan1' | 'lan2' | 'remote';

export interface LabSegment {
  readonly name: LabSegmentName;
  /** The bridge in the switch namespace. */
  readonly bridge: string;
  readonly ipv4Subnet: string;
  readonly ipv6Subnet: string;
  /** The router's addresses on this segment (present only with a router). */
  readonly gateway: { readonly ipv4: string; readonly ipv6: string } | undefined;
  /** Addresses the lab never assigns on this segment, e.g. for Service pools. */
  readonly free: { readonly ipv4: string; readonly ipv6: string };
}

export interface LabInterface {
  /** The name inside the host's namespace (`eth0`, `eth1`, ...). */
  readonly name: string;
  readonly segment: LabSegmentName;
  readonly mac: string;
  readonly ipv4: string;
  readonly ipv6: string;
  /** With the segment's prefix length, e.g. `192.0.2.11/24`. */
  readonly ipv4Cidr: string;
  readonly ipv6Cidr: string;
  /** The veth end on the bridge, in the switch namespace. */
  readonly bridgePort: string;
}

export type LabHostKind = 'node' | 'client' | 'router' | 'remote-client';

export interface LabHost {
  readonly kind: LabHostKind;
  /** Unique per lab and valid as a Kubernetes node name, e.g. `a1b2c3-node-1`. */
  readonly name: string;
  /** The network namespace, `plab-<name>`. */
  readonly namespace: string;
  readonly interfaces: readonly LabInterface[];
  /** The first interface's name and addresses, for convenience. */
  readonly interface: string;
  readonly mac: string;
  readonly ipv4: string;
  readonly ipv6: string;
  /** Default routes (present when the lab has a router and the host is not the router). */
  readonly defaultVia: { readonly ipv4: string; readonly ipv6: string } | undefined;
  /** Whether the host forwards packets (the router). */
  readonly forwarding: boolean;
}

export interface LabNode extends LabHost {
  readonly kind: 'node';
  /** 1-based. */
  readonly index: number;
}

export interface LabPlan {
  readonly id: string;
  /** Every namespace of the lab starts with this (`plab-<id>-`). */
  readonly prefix: string;
  /** The namespace holding the bridges (no addresses of its own). */
  readonly switchNamespace: string;
  readonly segments: readonly LabSegment[];
  readonly nodes: readonly LabNode[];
  readonly client: LabHost;
  readonly router: LabHost | undefined;
  readonly remoteClient: LabHost | undefined;
  /** Every host, nodes first. */
  readonly hosts: readonly LabHost[];
  /** Every namespace: switch first, then the hosts. */
  readonly namespaces: readonly string[];
}

export interface LabPlanInput {
  readonly id: string;
  readonly nodes: number;
  /** Nodes (1-based) on LAN 1 and LAN 2. */
  readonly secondLan?: readonly number[];
  /** Nodes (1-based) on LAN 2 only. */
  readonly secondLanOnly?: readonly number[];
  readonly router?: boolean;
}

export type LabPlanProblemCode = 'InvalidId' | 'InvalidNodeCount' | 'InvalidSecondLanNode';

export interface LabPlanProblem {
  readonly code: LabPlanProblemCode;
  readonly path: string;
  readonly message: string;
}

export type LabPlanResult =
  { readonly ok: true; readonly value: LabPlan } | { readonly ok: false; readonly errors: readonly LabPlanProblem[] };

/** Every lab namespace starts with this; `npm run lab -- down` removes all of them. */
export const NAMESPACE_PREFIX = 'plab-';
export const MAX_NODES = 100;

const CLIENT_OCTET = 200;
const GATEWAY_OCTET = 1;
const nodeOctet = (index: number): number => 10 + index;

interface SegmentShape {
  readonly name: LabSegmentName;
  readonly number: number;
  readonly v4: string; // first three octets
  readonly v6: string; // the /64 without the trailing `::`
}

const SEGMENTS: Record<LabSegmentName, SegmentShape> = {
  lan1: { name: 'lan1', number: 1, v4: '192.0.2', v6: '2001:db8:1' },
  lan2: { name: 'lan2', number: 2, v4: '198.51.100', v6: '2001:db8:2' },
  remote: { name: 'remote', number: 3, v4: '203.0.113', v6: '2001:db8:3' },
};

function segmentOf(shape: SegmentShape, withRouter: boolean): LabSegment {
  return {
    name: shape.name,
    bridge: `br${shape.number - 1}`,
    ipv4Subnet: `${shape.v4}.0/24`,
    ipv6Subnet: `${shape.v6}::/64`,
    gateway: withRouter ? { ipv4: `${shape.v4}.${GATEWAY_OCTET}`, ipv6: `${shape.v6}::${GATEWAY_OCTET}` } : undefined,
    free: { ipv4: `${shape.v4}.128/26`, ipv6: `${shape.v6}::1:0/112` },
  };
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** `02:00:<segment>:00:00:<host octet>`: locally administered, readable in a capture. */
export function labMac(segment: LabSegmentName, octet: number): string {
  return `02:00:${hex2(SEGMENTS[segment].number)}:00:00:${hex2(octet)}`;
}

function interfaceOf(options: {
  shortName: string;
  ifIndex: number;
  segment: LabSegmentName;
  octet: number;
}): LabInterface {
  const shape = SEGMENTS[options.segment];
  const name = `eth${options.ifIndex}`;
  // The IPv6 host part repeats the IPv4 octet's decimal digits (node 1 = .11 = ::11) for readability.
  const ipv4 = `${shape.v4}.${options.octet}`;
  const ipv6 = `${shape.v6}::${options.octet}`;
  return {
    name,
    segment: options.segment,
    mac: labMac(options.segment, options.octet),
    ipv4,
    ipv6,
    ipv4Cidr: `${ipv4}/24`,
    ipv6Cidr: `${ipv6}/64`,
    bridgePort: `${options.shortName}-${name}`,
  };
}

function hostOf(options: {
  kind: LabHostKind;
  name: string;
  interfaces: readonly LabInterface[];
  defaultVia: LabHost['defaultVia'];
}): LabHost {
  const first = options.interfaces[0];
  if (first === undefined) throw new Error(`lab host ${options.name} has no interface`);
  return {
    kind: options.kind,
    name: options.name,
    namespace: `${NAMESPACE_PREFIX}${options.name}`,
    interfaces: options.interfaces,
    interface: first.name,
    mac: first.mac,
    ipv4: first.ipv4,
    ipv6: first.ipv6,
    defaultVia: options.defaultVia,
    forwarding: options.kind === 'router',
  };
}

function validate(input: LabPlanInput): LabPlanProblem[] {
  const problems: LabPlanProblem[] = [];
  if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(input.id)) {
    problems.push({
      code: 'InvalidId',
      path: 'id',
      message: `lab id ${JSON.stringify(input.id)} is not 1-32 lower-case letters, digits and inner dashes`,
    });
  }
  if (!Number.isInteger(input.nodes) || input.nodes < 1 || input.nodes > MAX_NODES) {
    problems.push({
      code: 'InvalidNodeCount',
      path: 'nodes',
      message: `node count ${input.nodes} is not a whole number from 1 to ${MAX_NODES}`,
    });
  }
  const seen = new Set<number>();
  const lists = [
    ['secondLan', input.secondLan ?? []],
    ['secondLanOnly', input.secondLanOnly ?? []],
  ] as const;
  for (const [name, list] of lists) {
    list.forEach((index, i) => {
      const path = `${name}[${i}]`;
      if (!Number.isInteger(index) || index < 1 || index > input.nodes) {
        problems.push({ code: 'InvalidSecondLanNode', path, message: `node ${index} is not a node of this lab` });
      } else if (seen.has(index)) {
        problems.push({ code: 'InvalidSecondLanNode', path, message: `node ${index} is listed twice` });
      }
      seen.add(index);
    });
  }
  return problems;
}

/** The lab for `input`, or every problem with it. */
export function planLab(input: LabPlanInput): LabPlanResult {
  const problems = validate(input);
  if (problems.length > 0) return { ok: false, errors: problems };
  const withRouter = input.router === true;
  const onSecondLan = new Set(input.secondLan ?? []);
  const onSecondLanOnly = new Set(input.secondLanOnly ?? []);
  const names: LabSegmentName[] = ['lan1'];
  if (onSecondLan.size + onSecondLanOnly.size > 0) names.push('lan2');
  if (withRouter) names.push('remote');
  const segments = names.map((name) => segmentOf(SEGMENTS[name], withRouter));
  const gatewayOf = (name: LabSegmentName): LabHost['defaultVia'] => segments.find((s) => s.name === name)?.gateway;

  const nodes: LabNode[] = [];
  for (let index = 1; index <= input.nodes; index++) {
    const shortName = `n${index}`;
    const octet = nodeOctet(index);
    const joins: LabSegmentName[] = onSecondLanOnly.has(index)
      ? ['lan2']
      : onSecondLan.has(index)
        ? ['lan1', 'lan2']
        : ['lan1'];
    const interfaces = joins.map((segment, ifIndex) => interfaceOf({ shortName, ifIndex, segment, octet }));
    const name = `${input.id}-node-${index}`;
    const host = hostOf({ kind: 'node', name, interfaces, defaultVia: gatewayOf(joins[0] ?? 'lan1') });
    nodes.push({ ...host, kind: 'node', index });
  }
  const client = hostOf({
    kind: 'client',
    name: `${input.id}-client`,
    interfaces: [interfaceOf({ shortName: 'c', ifIndex: 0, segment: 'lan1', octet: CLIENT_OCTET })],
    defaultVia: gatewayOf('lan1'),
  });
  const router = withRouter
    ? hostOf({
        kind: 'router',
        name: `${input.id}-router`,
        interfaces: names.map((segment, ifIndex) =>
          interfaceOf({ shortName: 'r', ifIndex, segment, octet: GATEWAY_OCTET }),
        ),
        defaultVia: undefined,
      })
    : undefined;
  const remoteClient = withRouter
    ? hostOf({
        kind: 'remote-client',
        name: `${input.id}-remote`,
        interfaces: [interfaceOf({ shortName: 'rc', ifIndex: 0, segment: 'remote', octet: CLIENT_OCTET })],
        defaultVia: gatewayOf('remote'),
      })
    : undefined;
  const hosts = [
    ...nodes,
    client,
    ...(router === undefined ? [] : [router]),
    ...(remoteClient === undefined ? [] : [remoteClient]),
  ];
  const switchNamespace = `${NAMESPACE_PREFIX}${input.id}-lan`;
  return {
    ok: true,
    value: {
      id: input.id,
      prefix: `${NAMESPACE_PREFIX}${input.id}-`,
      switchNamespace,
      segments,
      nodes,
      client,
      router,
      remoteClient,
      hosts,
      namespaces: [switchNamespace, ...hosts.map((h) => h.namespace)],
    },
  };
}
