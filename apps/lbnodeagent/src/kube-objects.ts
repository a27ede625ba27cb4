// The shapes of the objects the node agent reads, as the API server sends them (raw JSON). Only the
// fields the agent uses; everything is optional because nothing read from the wire is trusted.

import type { ProjectedMetadata } from '@purelb/k8s-watch';

/** The metadata fields the agent reads: the same as a watch cache keeps (`projectMetadata`). */
export type ObjectMeta = ProjectedMetadata;

export interface ServiceObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly type?: string;
    readonly loadBalancerClass?: string | null;
    readonly externalTrafficPolicy?: string;
  };
  readonly status?: {
    readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string }[] };
    readonly conditions?: readonly unknown[];
  };
}

export interface EndpointObject {
  readonly nodeName?: string;
  readonly conditions?: {
    readonly ready?: boolean | null;
    readonly serving?: boolean | null;
    readonly terminating?: boolean | null;
  };
}

export interface EndpointSliceObject {
  readonly metadata?: ObjectMeta;
  readonly endpoints?: readonly EndpointObject[] | null;
}

export interface NodeObject {
  readonly metadata?: ObjectMeta;
  readonly status?: { readonly conditions?: readonly { readonly type?: string; readonly status?: string }[] };
}

export interface LeaseObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly holderIdentity?: string;
    readonly leaseDurationSeconds?: number;
    readonly renewTime?: string;
  };
}

export interface LBNodeAgentObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: { readonly conditions?: readonly unknown[] };
}

export interface ServiceGroupObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: unknown;
}
