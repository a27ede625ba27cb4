// coordination.k8s.io/v1 Lease reads and writes with optimistic concurrency, as values.
import type { KubeConfig } from '@kubernetes/client-node';
import type { WriteResult } from './write-result.ts';

export interface LeaseRef {
  readonly namespace: string;
  readonly name: string;
}

/** The fields of a Lease this library reads and writes. Times are RFC 3339 strings with microseconds. */
export interface LeaseSpec {
  readonly holderIdentity: string | undefined;
  readonly leaseDurationSeconds: number | undefined;
  readonly acquireTime: string | undefined;
  readonly renewTime: string | undefined;
  readonly leaseTransitions: number | undefined;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface LeaseRecord extends LeaseSpec {
  readonly resourceVersion: string;
}

/** Narrow, consumer-shaped Lease access; `createLeaseClient` talks to the API server, tests fake it. */
export interface LeaseClient {
  /** `value` is undefined when the Lease does not exist. */
  get(ref: LeaseRef): Promise<WriteResult<LeaseRecord | undefined>>;
  /** Fails with `AlreadyExists` when someone created it first. */
  create(ref: LeaseRef, spec: LeaseSpec): Promise<WriteResult<LeaseRecord>>;
  /** Replaces the Lease if it still has `resourceVersion`; fails with `Conflict` otherwise. */
  replace(ref: LeaseRef, spec: LeaseSpec, resourceVersion: string): Promise<WriteResult<LeaseRecord>>;
  /** Deletes the Lease (only if it still has `resourceVersion`, when given). Missing counts as success. */
  delete(ref: LeaseRef, resourceVersion?: string): Promise<WriteResult<undefined>>;
}

export function createLeaseClient(_kubeConfig: KubeConfig): LeaseClient {
  throw new Error('createLeaseClient: not implemented yet');
}
