// Builders of the objects the plugin reads, for its unit tests (the integration tests use the real
// API server and allocator).
import type { ClusterSnapshot, LeaseObject, NodeObject, ServiceGroupObject, ServiceObject } from '../kube-objects.ts';

export interface ServiceSpec {
  readonly namespace?: string;
  readonly type?: string;
  readonly loadBalancerClass?: string;
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  readonly ports?: readonly { port: number; protocol?: string }[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ingress?: readonly string[];
  /** `[status, reason, message]` of `purelb.io/Allocated`. */
  readonly allocated?: readonly [string, string, string];
  readonly announced?: readonly [string, string, string];
  readonly createdAt?: string;
}

export function service(name: string, spec: ServiceSpec = {}): ServiceObject {
  const conditions = [
    ...(spec.allocated === undefined
      ? []
      : [
          {
            type: 'purelb.io/Allocated',
            status: spec.allocated[0],
            reason: spec.allocated[1],
            message: spec.allocated[2],
          },
        ]),
    ...(spec.announced === undefined
      ? []
      : [
          {
            type: 'purelb.io/Announced',
            status: spec.announced[0],
            reason: spec.announced[1],
            message: spec.announced[2],
          },
        ]),
  ];
  return {
    metadata: {
      name,
      namespace: spec.namespace ?? 'apps',
      creationTimestamp: spec.createdAt ?? '2026-01-01T00:00:00Z',
      ...(spec.annotations === undefined ? {} : { annotations: spec.annotations }),
    },
    spec: {
      type: spec.type ?? 'LoadBalancer',
      ...(spec.loadBalancerClass === undefined ? {} : { loadBalancerClass: spec.loadBalancerClass }),
      ipFamilies: spec.ipFamilies ?? ['IPv4'],
      ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
      ports: (spec.ports ?? [{ port: 80 }]).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
    },
    status: {
      loadBalancer: { ingress: (spec.ingress ?? []).map((ip) => ({ ip })) },
      conditions,
    },
  };
}

export interface GroupShape {
  readonly ready?: string;
  readonly reason?: string;
  readonly createdAt?: string;
}

export function group(name: string, local: unknown, shape: GroupShape = {}): ServiceGroupObject {
  const createdAt = shape.createdAt ?? '2025-01-01T00:00:00Z';
  const status = shape.ready === undefined ? undefined : { ready: shape.ready, reason: shape.reason ?? '' };
  return {
    metadata: { name, namespace: 'purelb', creationTimestamp: createdAt },
    spec: { local },
    ...(status === undefined
      ? {}
      : { status: { conditions: [{ type: 'Ready', status: status.ready, reason: status.reason }] } }),
  };
}

/** A membership Lease renewed `ageMs` before `nowMs`. */
export function memberLease(
  node: string,
  subnets: string,
  at: { readonly nowMs: number; readonly ageMs: number },
): LeaseObject {
  return {
    metadata: { name: `purelb-node-${node}`, namespace: 'purelb', annotations: { 'purelb.io/subnets': subnets } },
    spec: { holderIdentity: node, leaseDurationSeconds: 3, renewTime: new Date(at.nowMs - at.ageMs).toISOString() },
  };
}

export function node(name: string, ready: boolean): NodeObject {
  return { metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

export function snapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  return { services: parts.services ?? [], groups: parts.groups ?? [], leases: parts.leases ?? [], nodes: parts.nodes };
}
