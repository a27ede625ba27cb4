// coordination.k8s.io/v1 Lease reads and writes with optimistic concurrency, as values.
import type { ClusterAccess } from './cluster-access.ts';
import { JSON_CONTENT, sendJson } from './send-json.ts';
import type { ApiResult, JsonObject } from './api-result.ts';

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
  get(ref: LeaseRef): Promise<ApiResult<LeaseRecord | undefined>>;
  /** Fails with `AlreadyExists` when someone created it first. */
  create(ref: LeaseRef, spec: LeaseSpec): Promise<ApiResult<LeaseRecord>>;
  /** Replaces the Lease if it still has `resourceVersion`; fails with `Conflict` otherwise. */
  replace(ref: LeaseRef, spec: LeaseSpec, resourceVersion: string): Promise<ApiResult<LeaseRecord>>;
  /** Deletes the Lease (only if it still has `resourceVersion`, when given). Missing counts as success. */
  delete(ref: LeaseRef, resourceVersion?: string): Promise<ApiResult<undefined>>;
}

export interface LeaseClientOptions {
  /** A request without an answer after this long fails with `Unavailable`. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

export function createLeaseClient(kubeConfig: ClusterAccess, options: LeaseClientOptions = {}): LeaseClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = (namespace: string): string =>
    `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const one = (ref: LeaseRef): string => `${base(ref.namespace)}/${encodeURIComponent(ref.name)}`;
  const toRecord = (value: unknown): ApiResult<LeaseRecord> => {
    const record = leaseRecordOf(value);
    return record === undefined
      ? {
          ok: false,
          error: { code: 'Unknown', status: undefined, message: 'the answer is not a Lease with a resourceVersion' },
        }
      : { ok: true, value: record };
  };
  return {
    get: async (ref) => {
      const result = await sendJson(kubeConfig, { method: 'GET', path: one(ref), timeoutMs });
      if (!result.ok) return result.error.code === 'NotFound' ? { ok: true, value: undefined } : result;
      return toRecord(result.value);
    },
    create: async (ref, spec) => {
      const result = await sendJson(kubeConfig, {
        method: 'POST',
        path: base(ref.namespace),
        body: leaseBody(ref, spec, undefined),
        contentType: JSON_CONTENT,
        timeoutMs,
      });
      return result.ok ? toRecord(result.value) : result;
    },
    replace: async (ref, spec, resourceVersion) => {
      const result = await sendJson(kubeConfig, {
        method: 'PUT',
        path: one(ref),
        body: leaseBody(ref, spec, resourceVersion),
        contentType: JSON_CONTENT,
        timeoutMs,
      });
      return result.ok ? toRecord(result.value) : result;
    },
    delete: async (ref, resourceVersion) => {
      const body =
        resourceVersion === undefined
          ? undefined
          : { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } };
      const result = await sendJson(kubeConfig, {
        method: 'DELETE',
        path: one(ref),
        body,
        contentType: JSON_CONTENT,
        timeoutMs,
      });
      if (result.ok || result.error.code === 'NotFound') return { ok: true, value: undefined };
      return result;
    },
  };
}

function leaseBody(ref: LeaseRef, spec: LeaseSpec, resourceVersion: string | undefined): JsonObject {
  const metadata: Record<string, JsonObject[string]> = { name: ref.name, namespace: ref.namespace };
  if (resourceVersion !== undefined) metadata['resourceVersion'] = resourceVersion;
  if (spec.annotations !== undefined) metadata['annotations'] = { ...spec.annotations };
  const body: Record<string, JsonObject[string]> = {};
  if (spec.holderIdentity !== undefined) body['holderIdentity'] = spec.holderIdentity;
  if (spec.leaseDurationSeconds !== undefined) body['leaseDurationSeconds'] = spec.leaseDurationSeconds;
  if (spec.acquireTime !== undefined) body['acquireTime'] = spec.acquireTime;
  if (spec.renewTime !== undefined) body['renewTime'] = spec.renewTime;
  if (spec.leaseTransitions !== undefined) body['leaseTransitions'] = spec.leaseTransitions;
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: body };
}

/** Reads the fields this library cares about from a Lease object; undefined if it is not one. */
export function leaseRecordOf(value: unknown): LeaseRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const lease = value as {
    metadata?: { resourceVersion?: unknown; annotations?: unknown };
    spec?: Record<string, unknown>;
  };
  const rv = lease.metadata?.resourceVersion;
  if (typeof rv !== 'string') return undefined;
  const spec = lease.spec ?? {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const annotations = lease.metadata?.annotations;
  const record: LeaseRecord = {
    resourceVersion: rv,
    holderIdentity: str(spec['holderIdentity']),
    leaseDurationSeconds: num(spec['leaseDurationSeconds']),
    acquireTime: str(spec['acquireTime']),
    renewTime: str(spec['renewTime']),
    leaseTransitions: num(spec['leaseTransitions']),
  };
  return typeof annotations === 'object' && annotations !== null
    ? { ...record, annotations: { ...(annotations as Record<string, string>) } }
    : record;
}

/** RFC 3339 with microseconds, as Lease times (MicroTime) are written. */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
