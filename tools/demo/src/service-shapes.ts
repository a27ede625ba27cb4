// The parts of a core/v1 Service the demo writes and reads, as plain JSON shapes.

export interface ServicePortSpec {
  readonly name?: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export type IpFamily = 'IPv4' | 'IPv6';
export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/** A LoadBalancer Service as the demo creates it. */
export interface ServiceManifest {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly type: 'LoadBalancer';
    readonly allocateLoadBalancerNodePorts?: boolean;
    readonly ipFamilyPolicy?: IpFamilyPolicy;
    readonly ipFamilies?: readonly IpFamily[];
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports: readonly ServicePortSpec[];
  };
}

/** What the demo reads back from a Service (as the API server returns it). */
export interface ServiceView {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly status?: {
    readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] };
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly reason?: string;
      readonly message?: string;
    }[];
  };
}
