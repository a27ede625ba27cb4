// The one place where Kubernetes objects become the node agent's vocabulary: Services as the
// addresses they need, EndpointSlices as the nodes with a ready endpoint, Nodes as NotReady or not,
// membership Leases as members with their subnets, ServiceGroups as pools. Never throws on bad input.
import { formatAddress, formatCidr, parseAddress, parseCidr, parseServiceGroupSpec } from '@purelb/ipam-core';
import type { IpAddress, IpFamily, ServiceGroup } from '@purelb/ipam-core';
import {
  ALLOCATED_BY,
  ANNOTATIONS,
  LOAD_BALANCER_CLASS,
  MEMBER_LEASE_PREFIX,
  SERVICE_NAME_LABEL,
} from './constants.ts';
import type {
  EndpointSliceObject,
  LeaseObject,
  NodeObject,
  ServiceGroupObject,
  ServiceObject,
} from './kube-objects.ts';

/** One allocated address of a Service, in canonical text form. */
export interface ServiceAddress {
  readonly family: IpFamily;
  readonly address: string;
}

/** An address with its parsed value (parsed once, when the Service is read). */
export interface ParsedServiceAddress extends ServiceAddress {
  readonly ip: IpAddress;
}

/** What a Service asks of the node agents. */
export interface ServiceView {
  /** `namespace/name`. */
  readonly key: string;
  /** Handled by our class rules and carrying `purelb.io/allocated-by: PureLB`. */
  readonly owned: boolean;
  /** From `status.loadBalancer.ingress`, in its order, at most one per family. */
  readonly addresses: readonly ParsedServiceAddress[];
  /** `purelb.io/allocated-from`. */
  readonly group: string | undefined;
  /** `purelb.io/pool-type`: `virtual` makes every address virtual; otherwise the subnet decides. */
  readonly poolType: 'local' | 'virtual' | undefined;
  readonly trafficPolicy: 'Cluster' | 'Local';
  /** `purelb.io/allow-shared-ip`. */
  readonly sharingKey: string | undefined;
  /** The nodes `purelb.io/announcing-IPv4` / `-IPv6` name: who held the local address last. */
  readonly announcedBy: Readonly<Partial<Record<IpFamily, string>>>;
}

export interface ServiceFilter {
  /** Whether Services without `spec.loadBalancerClass` are ours (the allocator's `--default-class`). */
  readonly defaultClass: boolean;
}

export function serviceKey(service: {
  readonly metadata?: { readonly namespace?: string; readonly name?: string };
}): string {
  return `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
}

function annotation(service: ServiceObject, name: string): string | undefined {
  const v = service.metadata?.annotations?.[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function handledClass(service: ServiceObject, filter: ServiceFilter): boolean {
  if (service.spec?.type !== 'LoadBalancer') return false;
  const cls = service.spec.loadBalancerClass;
  if (cls === undefined || cls === null || cls === '') return filter.defaultClass;
  return cls === LOAD_BALANCER_CLASS;
}

function ingressAddresses(service: ServiceObject): ParsedServiceAddress[] {
  const out: ParsedServiceAddress[] = [];
  const raw: unknown = service.status?.loadBalancer?.ingress;
  for (const entry of Array.isArray(raw) ? (raw as unknown[]) : []) {
    const ip = typeof entry === 'object' && entry !== null ? (entry as { ip?: unknown }).ip : undefined;
    if (typeof ip !== 'string') continue;
    const parsed = parseAddress(ip);
    if (!parsed.ok || out.some((a) => a.family === parsed.value.family)) continue;
    out.push({ family: parsed.value.family, address: formatAddress(parsed.value), ip: parsed.value });
  }
  return out.slice(); // an exact-size copy: kept per Service, and a pushed-to array keeps room for 17
}

/**
 * Translates a Service into what it asks of the agents. `key` is the Service's key when the caller
 * has it already (the view keeps that string instead of a copy).
 */
export function serviceToView(service: ServiceObject, filter: ServiceFilter, key = serviceKey(service)): ServiceView {
  const owned = handledClass(service, filter) && annotation(service, ANNOTATIONS.allocatedBy) === ALLOCATED_BY;
  const poolType = annotation(service, ANNOTATIONS.poolType);
  return {
    key,
    owned,
    addresses: owned ? ingressAddresses(service) : [],
    group: annotation(service, ANNOTATIONS.allocatedFrom),
    poolType: poolType === 'local' || poolType === 'virtual' ? poolType : undefined,
    trafficPolicy: service.spec?.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    sharingKey: annotation(service, ANNOTATIONS.allowSharedIp),
    announcedBy: announcedBy(service),
  };
}

function announcedBy(service: ServiceObject): Partial<Record<IpFamily, string>> {
  const out: Partial<Record<IpFamily, string>> = {};
  for (const [family, name] of [
    ['IPv4', ANNOTATIONS.announcingIPv4],
    ['IPv6', ANNOTATIONS.announcingIPv6],
  ] as const) {
    const node = annotation(service, name)?.split(',')[0]?.trim();
    if (node !== undefined && node !== '') out[family] = node;
  }
  return out;
}

/** Per Service key, the nodes with at least one ready (or serving) endpoint. */
export type EndpointNodes = ReadonlyMap<string, ReadonlySet<string>>;

/** What one EndpointSlice says: its Service's key and the nodes where it has an endpoint that counts. */
export interface SliceNodes {
  readonly service: string;
  /** Each node once, in the slice's order. */
  readonly nodes: readonly string[];
}

/**
 * The slice's Service (`namespace/name`, from its `kubernetes.io/service-name` label) and the nodes
 * of its endpoints that count; undefined without the label. An endpoint counts when it is ready or
 * serving. As the API documents, an absent `ready` means ready, and an absent `serving` means the
 * same as `ready`.
 */
export function sliceNodes(slice: EndpointSliceObject): SliceNodes | undefined {
  const service = sliceService(slice);
  if (service === undefined) return undefined;
  const nodes: string[] = [];
  for (const e of slice.endpoints ?? []) {
    if (typeof e.nodeName !== 'string' || e.nodeName === '') continue;
    const ready = e.conditions?.ready ?? true;
    const serving = e.conditions?.serving ?? ready;
    if ((ready || serving) && !nodes.includes(e.nodeName)) nodes.push(e.nodeName);
  }
  return { service, nodes: nodes.slice() };
}

/** The key (`namespace/name`) of the Service the slice belongs to; undefined without the label. */
export function sliceService(slice: EndpointSliceObject): string | undefined {
  const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  return service === undefined || service === '' ? undefined : `${slice.metadata?.namespace ?? ''}/${service}`;
}

/** Per Service key, the nodes with at least one endpoint that counts (`sliceNodes`), from every slice. */
export function endpointNodes(slices: Iterable<EndpointSliceObject>): EndpointNodes {
  const out = new Map<string, Set<string>>();
  for (const slice of slices) {
    const found = sliceNodes(slice);
    if (found === undefined || found.nodes.length === 0) continue;
    let nodes = out.get(found.service);
    if (nodes === undefined) out.set(found.service, (nodes = new Set()));
    for (const n of found.nodes) nodes.add(n);
  }
  return out;
}

/** Whether the Node says it is not ready (its `Ready` condition is `False` or `Unknown`). */
export function nodeNotReady(node: NodeObject): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready !== undefined && ready.status !== 'True';
}

/** Names of the Nodes that say they are not ready. A node without a Node object is not excluded. */
export function notReadyNodes(nodes: Iterable<NodeObject>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const n of nodes) if (n.metadata?.name !== undefined && nodeNotReady(n)) out.add(n.metadata.name);
  return out;
}

/** A membership Lease as the agents read it. */
export interface MemberLease {
  readonly node: string;
  /** Canonical CIDRs (`192.0.2.0/24`) of the node's local interfaces, both families. */
  readonly subnets: readonly string[];
  /** `spec.leaseDurationSeconds` in ms, if set. */
  readonly durationMs: number | undefined;
  /** `spec.renewTime` as epoch ms, if it parses. */
  readonly renewedAtEpochMs: number | undefined;
  /** Changes with every renewal: a new value is proof of life. */
  readonly resourceVersion: string;
}

/** Parses `purelb.io/subnets` (comma-separated CIDRs) into canonical network CIDRs; bad entries are skipped. */
export function parseSubnets(text: string | undefined): string[] {
  const out: string[] = [];
  for (const part of (text ?? '').split(',')) {
    const parsed = parseCidr(part);
    if (!parsed.ok) continue;
    const cidr = formatCidr(parsed.value);
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out;
}

/** The membership Lease of a node, or undefined for any other Lease. */
export function leaseToMember(lease: LeaseObject): MemberLease | undefined {
  const name = lease.metadata?.name;
  if (name?.startsWith(MEMBER_LEASE_PREFIX) !== true || name.length === MEMBER_LEASE_PREFIX.length) return undefined;
  const seconds = lease.spec?.leaseDurationSeconds;
  const renew = lease.spec?.renewTime === undefined ? Number.NaN : Date.parse(lease.spec.renewTime);
  return {
    node: name.slice(MEMBER_LEASE_PREFIX.length),
    subnets: parseSubnets(lease.metadata?.annotations?.[ANNOTATIONS.subnets]),
    durationMs: typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    renewedAtEpochMs: Number.isFinite(renew) ? renew : undefined,
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

/** The valid ServiceGroups by name (invalid ones are the allocator's to report). */
export function groupsByName(groups: Iterable<ServiceGroupObject>): ReadonlyMap<string, ServiceGroup> {
  const out = new Map<string, ServiceGroup>();
  for (const g of groups) {
    const name = g.metadata?.name;
    if (name === undefined) continue;
    const parsed = parseServiceGroupSpec(name, g.spec);
    if (parsed.ok) out.set(name, parsed.value);
  }
  return out;
}
