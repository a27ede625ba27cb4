// The shapes of the objects the allocator reads, as the API server sends them (raw JSON, so
// timestamps are strings). Only the fields the allocator uses; everything is optional because
// nothing read from the wire is trusted.

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ServicePortObject {
  readonly port?: number;
  readonly protocol?: string;
}

export interface IngressObject {
  readonly ip?: string;
  readonly ipMode?: string;
  readonly hostname?: string;
}

export interface ServiceObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly type?: string;
    readonly loadBalancerClass?: string | null;
    readonly loadBalancerIP?: string;
    readonly ipFamilies?: readonly string[];
    readonly ipFamilyPolicy?: string;
    readonly ports?: readonly ServicePortObject[];
  };
  readonly status?: {
    readonly loadBalancer?: { readonly ingress?: readonly IngressObject[] };
    readonly conditions?: readonly unknown[];
  };
}

export interface FamilyStatusObject {
  readonly capacity?: string;
  readonly allocated?: string;
  readonly available?: string;
}

export interface ServiceGroupObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: {
    readonly observedGeneration?: number;
    readonly pools?: string;
    readonly v4?: FamilyStatusObject;
    readonly v6?: FamilyStatusObject;
    /** In use / capacity per family in human counts, for display. */
    readonly usage?: { readonly v4?: string; readonly v6?: string };
    readonly conditions?: readonly unknown[];
  };
}
