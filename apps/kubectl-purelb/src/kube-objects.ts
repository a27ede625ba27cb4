// The objects the plugin reads, as the API server sends them. Only the fields it uses; everything is
// optional because nothing read from the wire is trusted.

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly creationTimestamp?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ConditionObject {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface ServiceObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly type?: string;
    readonly loadBalancerClass?: string | null;
    readonly loadBalancerIP?: string;
    readonly ipFamilies?: readonly string[];
    readonly ipFamilyPolicy?: string;
    readonly externalTrafficPolicy?: string;
    readonly ports?: readonly { readonly port?: number; readonly protocol?: string }[];
  };
  readonly status?: {
    readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] };
    readonly conditions?: readonly ConditionObject[];
  };
}

export interface ServiceGroupObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: {
    readonly conditions?: readonly ConditionObject[];
  };
}

export interface LeaseObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly holderIdentity?: string;
    readonly leaseDurationSeconds?: number;
    readonly renewTime?: string;
  };
}

export interface NodeObject {
  readonly metadata?: ObjectMeta;
  readonly status?: { readonly conditions?: readonly ConditionObject[] };
}

/** What the plugin reads of the cluster at one moment. */
export interface ClusterSnapshot {
  readonly services: readonly ServiceObject[];
  /** The ServiceGroups of the install namespace. */
  readonly groups: readonly ServiceGroupObject[];
  /** The Leases of the install namespace (the node agents' membership Leases among them). */
  readonly leases: readonly LeaseObject[];
  /** Undefined when the plugin may not list Nodes (then no node counts as NotReady). */
  readonly nodes: readonly NodeObject[] | undefined;
}
