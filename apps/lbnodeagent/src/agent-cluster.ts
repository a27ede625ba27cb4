// The cluster as the node agent sees it: three clients, and the six watches it keeps.
import { createClusterWriter, createKubeTransport, createLeaseClient, watchResource } from '@purelb/k8s-watch';
import type {
  ClusterAccess,
  ClusterWriter,
  Clock,
  LeaseClient,
  ResourceWatch,
  WatchTransport,
} from '@purelb/k8s-watch';
import { LBNODEAGENT_RESOURCE, SERVICE_GROUP_RESOURCE } from './constants.ts';
import type {
  EndpointSliceObject,
  LBNodeAgentObject,
  LeaseObject,
  NodeObject,
  ServiceGroupObject,
  ServiceObject,
} from './kube-objects.ts';
import { projectCustom, projectEndpointSlice, projectLease, projectNode, projectService } from './project-objects.ts';

/** Everything the agent says to the cluster goes through these three. */
export interface AgentCluster {
  readonly transport: WatchTransport;
  readonly leaseClient: LeaseClient;
  readonly writer: ClusterWriter;
}

/** The real cluster behind a client configuration. Lease requests give up after a lease duration. */
export function connectCluster(kubeConfig: ClusterAccess, leaseDurationMs: number): AgentCluster {
  return {
    transport: createKubeTransport(kubeConfig),
    leaseClient: createLeaseClient(kubeConfig, { timeoutMs: leaseDurationMs }),
    writer: createClusterWriter(kubeConfig),
  };
}

export interface ClusterWatches {
  readonly services: ResourceWatch<ServiceObject>;
  readonly slices: ResourceWatch<EndpointSliceObject>;
  readonly nodes: ResourceWatch<NodeObject>;
  readonly agents: ResourceWatch<LBNodeAgentObject>;
  readonly groups: ResourceWatch<ServiceGroupObject>;
  readonly leases: ResourceWatch<LeaseObject>;
}

/**
 * Starts the watches: Services, EndpointSlices and Nodes cluster-wide; the rest in the install
 * namespace. Each cache keeps only what the agent reads of its objects (project-objects.ts).
 */
export function watchCluster(
  transport: WatchTransport,
  where: { readonly namespace: string; readonly clock: Clock },
): ClusterWatches {
  const watch = <T extends object>(path: string, project: (raw: object) => T): ResourceWatch<T> =>
    watchResource<T>({ transport, path, clock: where.clock, project });
  const inNamespace = (r: { group: string; version: string; plural: string }): string =>
    `/apis/${r.group}/${r.version}/namespaces/${where.namespace}/${r.plural}`;
  return {
    services: watch<ServiceObject>('/api/v1/services', projectService),
    slices: watch<EndpointSliceObject>('/apis/discovery.k8s.io/v1/endpointslices', projectEndpointSlice),
    nodes: watch<NodeObject>('/api/v1/nodes', projectNode),
    agents: watch<LBNodeAgentObject>(inNamespace(LBNODEAGENT_RESOURCE), projectCustom),
    groups: watch<ServiceGroupObject>(inNamespace(SERVICE_GROUP_RESOURCE), projectCustom),
    leases: watch<LeaseObject>(`/apis/coordination.k8s.io/v1/namespaces/${where.namespace}/leases`, projectLease),
  };
}
