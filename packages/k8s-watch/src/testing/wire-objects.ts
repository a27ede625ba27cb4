// Objects as the API server sends them, for tests of what a watch cache keeps (projections): with the
// server's own fields, managedFields, kubectl's last-applied configuration and a foreign annotation
// and label, all of which a projection must drop.

/** managedFields as a kubectl apply and a daemon's status writes leave them. */
export const WIRE_MANAGED_FIELDS: readonly object[] = [
  {
    manager: 'kubectl',
    operation: 'Apply',
    apiVersion: 'v1',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:ports': {} } },
  },
  { manager: 'purelb', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } },
];

export interface WireServiceParts {
  /** Annotations besides kubectl's last-applied configuration and `example.com/other`. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Spec fields over a dual-stack LoadBalancer (`RequireDualStack`, one TCP port 80, no node ports). */
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly status?: Readonly<Record<string, unknown>>;
}

/** The Service `shop/web` (uid, resourceVersion 4711, generation 3) as sent, with the parts given. */
export function wireService(parts: WireServiceParts = {}): Record<string, unknown> {
  return {
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: '7d0c2f4e-1111-2222-3333-444455556666',
      resourceVersion: '4711',
      generation: 3,
      creationTimestamp: '2026-11-30T10:00:00Z',
      labels: { app: 'web' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ a: 'x'.repeat(2000) }),
        'example.com/other': 'y',
        ...parts.annotations,
      },
      managedFields: WIRE_MANAGED_FIELDS,
    },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'web' },
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10', 'fd00:10:96::a'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      ...parts.spec,
    },
    status: { ...parts.status },
  };
}
