// The one place where a Service becomes the plugin's vocabulary: what it asks of PureLB (in
// ipam-core's terms, as the allocator reads it), what it shows (addresses, group, conditions), and
// which node announces each address. Never throws on bad input.
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import type { AllocationRequest, ExistingAllocation, IpFamily, IpFamilyPolicy, PortSpec } from '@purelb/ipam-core';
import type { ConditionObject, ServiceObject } from './kube-objects.ts';
import { ALLOCATED_CONDITION, ANNOTATIONS, ANNOUNCED_CONDITION, LOAD_BALANCER_CLASS } from './names.ts';

export interface ConditionView {
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

/** `node,interface` of `purelb.io/announcing-IPvX`. */
export interface Announcer {
  readonly node: string;
  readonly interface: string | undefined;
}

/** What the Service asks for: an allocation request, or why it cannot be read. */
export type ServiceAsk =
  | { readonly kind: 'request'; readonly request: AllocationRequest }
  | { readonly kind: 'invalid'; readonly message: string };

export interface ServiceView {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly createdAt: string;
  /** A LoadBalancer Service of our class (or of no class: ours unless the allocator runs with `--default-class=false`). */
  readonly handled: boolean;
  /** Set when the Service names no class (PureLB's by default). */
  readonly defaultClass: boolean;
  readonly ask: ServiceAsk;
  /** `status.loadBalancer.ingress` addresses, canonical, in order. */
  readonly addresses: readonly { readonly family: IpFamily; readonly address: string }[];
  /** `purelb.io/allocated-from`. */
  readonly allocatedFrom: string | undefined;
  readonly sharingKey: string | undefined;
  readonly ports: readonly PortSpec[];
  readonly poolType: string | undefined;
  readonly trafficPolicy: 'Cluster' | 'Local';
  readonly announcing: Readonly<Partial<Record<IpFamily, Announcer>>>;
  readonly allocated: ConditionView | undefined;
  readonly announced: ConditionView | undefined;
}

function annotation(service: ServiceObject, name: string): string | undefined {
  const v = service.metadata?.annotations?.[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function condition(service: ServiceObject, type: string): ConditionView | undefined {
  const found = (service.status?.conditions ?? []).find((c: ConditionObject) => c.type === type);
  return found === undefined
    ? undefined
    : { status: found.status ?? 'Unknown', reason: found.reason ?? '', message: found.message ?? '' };
}

function parsePorts(service: ServiceObject): PortSpec[] {
  const ports: PortSpec[] = [];
  for (const p of service.spec?.ports ?? []) {
    const protocol = p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP';
    if (p.port !== undefined && Number.isInteger(p.port) && p.port > 0 && p.port <= 65535) {
      ports.push({ protocol, port: p.port });
    }
  }
  return ports;
}

function parseAnnouncer(text: string | undefined): Announcer | undefined {
  if (text === undefined) return undefined;
  const [node = '', iface] = text.split(',').map((s) => s.trim());
  return node === '' ? undefined : { node, interface: iface === '' ? undefined : iface };
}

/** `IP[,IP]`: one address per family, canonical; the message says what is wrong. */
function parseRequested(raw: string, where: string): { ok: true; value: string[] } | { ok: false; message: string } {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length > 2) return { ok: false, message: `${where}: at most one address per family` };
  const value: string[] = [];
  const seen = new Set<IpFamily>();
  for (const part of parts) {
    const parsed = parseAddress(part);
    if (part === '' || !parsed.ok) return { ok: false, message: `${where}: "${part}" is not an IP address` };
    if (seen.has(parsed.value.family)) return { ok: false, message: `${where}: two ${parsed.value.family} addresses` };
    seen.add(parsed.value.family);
    value.push(formatAddress(parsed.value));
  }
  return { ok: true, value };
}

function askOf(service: ServiceObject, key: string, ports: readonly PortSpec[]): ServiceAsk {
  const listed = annotation(service, ANNOTATIONS.addresses);
  const lbIP = service.spec?.loadBalancerIP?.trim();
  let requestedAddresses: string[] | undefined;
  if (listed !== undefined || (lbIP !== undefined && lbIP !== '')) {
    const where = listed !== undefined ? `annotation ${ANNOTATIONS.addresses}` : 'spec.loadBalancerIP';
    const parsed = parseRequested(listed ?? lbIP ?? '', where);
    if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
    requestedAddresses = parsed.value;
  }
  const families: IpFamily[] = [];
  for (const f of service.spec?.ipFamilies ?? [])
    if ((f === 'IPv4' || f === 'IPv6') && !families.includes(f)) families.push(f);
  const p = service.spec?.ipFamilyPolicy;
  const policy: IpFamilyPolicy = p === 'PreferDualStack' || p === 'RequireDualStack' ? p : 'SingleStack';
  const group = annotation(service, ANNOTATIONS.serviceGroup);
  const sharingKey = annotation(service, ANNOTATIONS.allowSharedIp);
  return {
    kind: 'request',
    request: {
      key,
      ipFamilies: families,
      ipFamilyPolicy: policy,
      ports,
      ...(group === undefined ? {} : { group }),
      ...(requestedAddresses === undefined ? {} : { requestedAddresses }),
      ...(sharingKey === undefined ? {} : { sharingKey }),
    },
  };
}

export function serviceView(service: ServiceObject): ServiceView {
  const namespace = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  const key = `${namespace}/${name}`;
  const cls = service.spec?.loadBalancerClass;
  const defaultClass = cls === undefined || cls === null || cls === '';
  const handled = service.spec?.type === 'LoadBalancer' && (defaultClass || cls === LOAD_BALANCER_CLASS);
  const addresses: { family: IpFamily; address: string }[] = [];
  for (const entry of service.status?.loadBalancer?.ingress ?? []) {
    const parsed = entry.ip === undefined ? undefined : parseAddress(entry.ip);
    if (parsed?.ok === true) addresses.push({ family: parsed.value.family, address: formatAddress(parsed.value) });
  }
  const ports = parsePorts(service);
  const announcing: Partial<Record<IpFamily, Announcer>> = {};
  const v4 = parseAnnouncer(annotation(service, ANNOTATIONS.announcingIPv4));
  const v6 = parseAnnouncer(annotation(service, ANNOTATIONS.announcingIPv6));
  if (v4 !== undefined) announcing.IPv4 = v4;
  if (v6 !== undefined) announcing.IPv6 = v6;
  return {
    key,
    namespace,
    name,
    createdAt: service.metadata?.creationTimestamp ?? '',
    handled,
    defaultClass,
    ask: askOf(service, key, ports),
    addresses,
    allocatedFrom: annotation(service, ANNOTATIONS.allocatedFrom),
    sharingKey: annotation(service, ANNOTATIONS.allowSharedIp),
    ports,
    poolType: annotation(service, ANNOTATIONS.poolType),
    trafficPolicy: service.spec?.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    announcing,
    allocated: condition(service, ALLOCATED_CONDITION),
    announced: condition(service, ANNOUNCED_CONDITION),
  };
}

/** What a Service already holds, for rebuilding the allocation state as the allocator would. */
export function existingAllocation(view: ServiceView): ExistingAllocation | undefined {
  if (!view.handled || view.addresses.length === 0) return undefined;
  return {
    key: view.key,
    addresses: view.addresses.map((a) => a.address),
    ports: view.ports,
    ...(view.allocatedFrom === undefined ? {} : { group: view.allocatedFrom }),
    ...(view.sharingKey === undefined ? {} : { sharingKey: view.sharingKey }),
  };
}

/** Oldest first (creationTimestamp, then key): the order in which a new leader imports allocations. */
export function byAge(a: ServiceView, b: ServiceView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
