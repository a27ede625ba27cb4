// The one place where a Kubernetes Service becomes ipam-core vocabulary: what the Service asks for
// (an AllocationRequest) and what it already holds (an ExistingAllocation, for the start-up import).
import type { ServiceObject } from './kube-objects.ts';
import { boundText, formatAddress, parseAddress } from '@purelb/ipam-core';
import type {
  AllocationRequest,
  ExistingAllocation,
  IpFamily,
  IpFamilyPolicy,
  PortSpec,
  Protocol,
} from '@purelb/ipam-core';
import { ANNOTATIONS, LOAD_BALANCER_CLASS } from './constants.ts';

/** What a Service means to the allocator. */
export type ServiceIntent =
  /** Not ours: not a LoadBalancer, or another controller's class. */
  | { readonly kind: 'ignore'; readonly why: 'not-load-balancer' | 'other-class' }
  /** Ours, but an annotation or field cannot be understood. */
  | { readonly kind: 'invalid'; readonly reason: 'InvalidAnnotation'; readonly message: string }
  /** Ours, and this is what it asks for. */
  | {
      readonly kind: 'allocate';
      readonly request: AllocationRequest;
      /** Families in the order `status.loadBalancer.ingress` lists them. */
      readonly familyOrder: readonly IpFamily[];
      /** Set when the deprecated `spec.loadBalancerIP` is what chose the address. */
      readonly deprecatedLoadBalancerIP: string | undefined;
    };

export interface ServiceFilter {
  /** Whether Services without `spec.loadBalancerClass` are ours. */
  readonly defaultClass: boolean;
}

/** `namespace/name`, the key of a Service everywhere in the allocator. */
export function serviceKey(service: ServiceObject): string {
  return `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
}

function classify(service: ServiceObject, filter: ServiceFilter): 'not-load-balancer' | 'other-class' | undefined {
  if (service.spec?.type !== 'LoadBalancer') return 'not-load-balancer';
  const cls = service.spec.loadBalancerClass;
  if (cls === undefined || cls === null || cls === '') return filter.defaultClass ? undefined : 'other-class';
  return cls === LOAD_BALANCER_CLASS ? undefined : 'other-class';
}

function parseFamilies(service: ServiceObject): IpFamily[] {
  const families: IpFamily[] = [];
  for (const f of service.spec?.ipFamilies ?? []) {
    if ((f === 'IPv4' || f === 'IPv6') && !families.includes(f)) families.push(f);
  }
  return families;
}

function parsePolicy(service: ServiceObject): IpFamilyPolicy {
  const p = service.spec?.ipFamilyPolicy;
  return p === 'PreferDualStack' || p === 'RequireDualStack' ? p : 'SingleStack';
}

function parsePorts(service: ServiceObject): PortSpec[] {
  const ports: PortSpec[] = [];
  for (const p of service.spec?.ports ?? []) {
    const protocol: Protocol = p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP';
    const port = p.port;
    if (port !== undefined && Number.isInteger(port) && port > 0 && port <= 65535) ports.push({ protocol, port });
  }
  return ports;
}

type Addresses = { ok: true; value: string[] } | { ok: false; message: string };

/** Parses `IP[,IP]`: whitespace tolerated, one address per family, canonical text out; messages quote `raw` bounded. */
export function parseAddressList(raw: string, where: string): Addresses {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length > 2) {
    return {
      ok: false,
      message: `${where}: at most one address per family (two in all), got ${parts.length}: ${boundText(raw)}`,
    };
  }
  const value: string[] = [];
  const seen = new Set<IpFamily>();
  for (const [i, part] of parts.entries()) {
    if (part === '') return { ok: false, message: `${where}: entry ${i + 1} is empty in ${boundText(raw)}` };
    const parsed = parseAddress(part);
    if (!parsed.ok) return { ok: false, message: `${where}: ${boundText(part)} is not an IP address` };
    if (seen.has(parsed.value.family)) {
      return {
        ok: false,
        message: `${where}: two ${parsed.value.family} addresses in ${boundText(raw)}; give one per family`,
      };
    }
    seen.add(parsed.value.family);
    value.push(formatAddress(parsed.value));
  }
  return { ok: true, value };
}

function annotation(service: ServiceObject, name: string): string | undefined {
  const v = service.metadata?.annotations?.[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** The families of the ingress list, in order: `spec.ipFamilies` first, then the other family. */
function familyOrder(families: readonly IpFamily[]): IpFamily[] {
  const order = [...families];
  for (const f of ['IPv4', 'IPv6'] as const) if (!order.includes(f)) order.push(f);
  return order;
}

/** Translates a Service into what it asks of the allocator. Never throws on bad input. */
export function serviceToRequest(service: ServiceObject, filter: ServiceFilter): ServiceIntent {
  const why = classify(service, filter);
  if (why !== undefined) return { kind: 'ignore', why };

  let requestedAddresses: string[] | undefined;
  let deprecatedLoadBalancerIP: string | undefined;
  const listed = annotation(service, ANNOTATIONS.addresses);
  const lbIP = service.spec?.loadBalancerIP?.trim();
  if (listed !== undefined) {
    const parsed = parseAddressList(listed, `annotation ${ANNOTATIONS.addresses}`);
    if (!parsed.ok) return { kind: 'invalid', reason: 'InvalidAnnotation', message: parsed.message };
    requestedAddresses = parsed.value;
  } else if (lbIP !== undefined && lbIP !== '') {
    const parsed = parseAddressList(lbIP, 'spec.loadBalancerIP');
    if (!parsed.ok) return { kind: 'invalid', reason: 'InvalidAnnotation', message: parsed.message };
    requestedAddresses = parsed.value;
    deprecatedLoadBalancerIP = lbIP;
  }

  const families = parseFamilies(service);
  const group = annotation(service, ANNOTATIONS.serviceGroup);
  const sharingKey = annotation(service, ANNOTATIONS.allowSharedIp);
  const request: AllocationRequest = {
    key: serviceKey(service),
    ipFamilies: families,
    ipFamilyPolicy: parsePolicy(service),
    ports: parsePorts(service),
    ...(group === undefined ? {} : { group }),
    ...(requestedAddresses === undefined ? {} : { requestedAddresses }),
    ...(sharingKey === undefined ? {} : { sharingKey }),
  };
  return { kind: 'allocate', request, familyOrder: familyOrder(families), deprecatedLoadBalancerIP };
}

/** The IP addresses in `status.loadBalancer.ingress`, in order (hostname-only entries skipped). */
export function ingressAddresses(service: ServiceObject): string[] {
  const out: string[] = [];
  for (const entry of service.status?.loadBalancer?.ingress ?? []) {
    if (typeof entry.ip === 'string' && entry.ip !== '') out.push(entry.ip);
  }
  return out;
}

/** What a Service of ours already holds, as read from its status and our annotations. */
export function serviceToExisting(service: ServiceObject): ExistingAllocation | undefined {
  const addresses = ingressAddresses(service);
  if (addresses.length === 0) return undefined;
  const group = annotation(service, ANNOTATIONS.allocatedFrom);
  const sharingKey = annotation(service, ANNOTATIONS.allowSharedIp);
  return {
    key: serviceKey(service),
    addresses,
    ports: parsePorts(service),
    ...(group === undefined ? {} : { group }),
    ...(sharingKey === undefined ? {} : { sharingKey }),
  };
}
