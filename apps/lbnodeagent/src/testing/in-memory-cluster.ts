// The agent's in-process test bench: k8s-watch's in-memory API server, with membership Leases stored
// in it (so that the agents' Lease watch sees them), a Lease client per node that can be cut off, and
// object builders. For fast tests of the daemon; the real API server and kernel stay the proof.
import { createFakeApiServer } from '@purelb/k8s-watch/testing';
import type { FakeApiServer } from '@purelb/k8s-watch/testing';
import type { ApiResult, LeaseClient, LeaseRecord, LeaseRef, LeaseSpec } from '@purelb/k8s-watch';
import type { AgentCluster } from '../agent-cluster.ts';
import type { ServiceObject } from '../kube-objects.ts';

export interface InMemoryCluster {
  readonly server: FakeApiServer;
  /** The clients of one node's agent. */
  clusterFor(node: string): AgentCluster;
  /** Makes a node's Lease requests fail (`Unavailable`) until set back to false. */
  cutLeases(node: string, cut: boolean): void;
}

const leasesPath = (namespace: string): string => `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;

interface StoredLease {
  readonly metadata?: { readonly resourceVersion?: string; readonly annotations?: Record<string, string> };
  readonly spec?: Partial<Record<'holderIdentity' | 'acquireTime' | 'renewTime', string>> & {
    readonly leaseDurationSeconds?: number;
    readonly leaseTransitions?: number;
  };
}

function recordOf(object: unknown): LeaseRecord | undefined {
  const lease = object as StoredLease | undefined;
  const rv = lease?.metadata?.resourceVersion;
  if (lease === undefined || rv === undefined) return undefined;
  const spec = lease.spec ?? {};
  return {
    resourceVersion: rv,
    holderIdentity: spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    acquireTime: spec.acquireTime,
    renewTime: spec.renewTime,
    leaseTransitions: spec.leaseTransitions,
    ...(lease.metadata?.annotations === undefined ? {} : { annotations: lease.metadata.annotations }),
  };
}

function leaseObject(ref: LeaseRef, spec: LeaseSpec): object {
  const { annotations, ...rest } = spec;
  const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: ref.name, namespace: ref.namespace, ...(annotations === undefined ? {} : { annotations }) },
    spec: body,
  };
}

export function createInMemoryCluster(): InMemoryCluster {
  const server = createFakeApiServer();
  const cut = new Set<string>();
  const leaseClient = (node: string): LeaseClient => {
    const unavailable = {
      ok: false as const,
      error: { code: 'Unavailable' as const, status: undefined, message: 'connect ECONNREFUSED' },
    };
    const guard = async <T>(op: () => ApiResult<T>): Promise<ApiResult<T>> => {
      await Promise.resolve();
      return cut.has(node) ? unavailable : op();
    };
    const path = (ref: LeaseRef): string => `${leasesPath(ref.namespace)}/${ref.name}`;
    const put = (ref: LeaseRef, spec: LeaseSpec): ApiResult<LeaseRecord> => {
      const stored = recordOf(server.put(leasesPath(ref.namespace), leaseObject(ref, spec)));
      return stored === undefined
        ? { ok: false, error: { code: 'Unknown', status: undefined, message: 'not stored' } }
        : { ok: true, value: stored };
    };
    return {
      get: (ref) => guard(() => ({ ok: true, value: recordOf(server.get(path(ref))) })),
      create: (ref, spec) =>
        guard(() =>
          server.get(path(ref)) === undefined
            ? put(ref, spec)
            : {
                ok: false,
                error: { code: 'AlreadyExists', status: 409, message: `leases "${ref.name}" already exists` },
              },
        ),
      replace: (ref, spec, resourceVersion) =>
        guard(() => {
          const current = recordOf(server.get(path(ref)));
          if (current === undefined)
            return { ok: false, error: { code: 'NotFound', status: 404, message: `leases "${ref.name}" not found` } };
          if (current.resourceVersion !== resourceVersion)
            return { ok: false, error: { code: 'Conflict', status: 409, message: 'the object has been modified' } };
          return put(ref, spec);
        }),
      delete: (ref) =>
        guard(() => {
          server.remove(path(ref));
          return { ok: true, value: undefined };
        }),
    };
  };
  return {
    server,
    clusterFor: (node) => ({ transport: server.transport, writer: server.writer, leaseClient: leaseClient(node) }),
    cutLeases: (node, value) => {
      if (value) cut.add(node);
      else cut.delete(node);
    },
  };
}

/** A LoadBalancer Service of our class as the allocator leaves it (`namespace/name`). */
export function allocatedService(
  key: string,
  addresses: readonly string[],
  annotations: Readonly<Record<string, string>> = {},
): ServiceObject {
  const [namespace = '', name = ''] = key.split('/');
  return {
    metadata: {
      name,
      namespace,
      annotations: { 'purelb.io/allocated-by': 'PureLB', 'purelb.io/allocated-from': 'default', ...annotations },
    },
    spec: { type: 'LoadBalancer' },
    status: { loadBalancer: { ingress: addresses.map((ip) => ({ ip })) } },
  };
}
