// The shapes of the objects the allocator reads, as the API server sends them (raw JSON, so
// timestamps are strings). Only the fields the allocator uses; everything is optional because
// nothing read from the wire is trusted.

import type { ProjectedMetadata } from '@purelb/k8s-watch';

/** The metadata fields the allocator reads: the same as a watch cache keeps (`projectMetadata`). */
export type ObjectMeta = ProjectedMetadata;

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
