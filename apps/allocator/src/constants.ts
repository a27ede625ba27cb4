// Names the allocator reads and writes on the cluster.

export const LOAD_BALANCER_CLASS = 'purelb.io/purelb';
export const COMPONENT = 'purelb-allocator';

export const ANNOTATIONS = {
  serviceGroup: 'purelb.io/service-group',
  addresses: 'purelb.io/addresses',
  allowSharedIp: 'purelb.io/allow-shared-ip',
  allocatedBy: 'purelb.io/allocated-by',
  allocatedFrom: 'purelb.io/allocated-from',
  poolType: 'purelb.io/pool-type',
} as const;

/**
 * Value of `purelb.io/pool-type`: what the group says, and every ServiceGroup is a `spec.local` group.
 * Whether an address is local or virtual on a node is the node agent's decision (SPEC §5.2), not this one.
 */
export const POOL_TYPE_LOCAL = 'local';

/** Value of `purelb.io/allocated-by` on Services the allocator gave addresses. */
export const ALLOCATED_BY = 'PureLB';

/** The Service condition the allocator owns. */
export const ALLOCATED_CONDITION = 'purelb.io/Allocated';

/** The ServiceGroup condition the allocator owns. */
export const READY_CONDITION = 'Ready';

/**
 * Longest message the allocator writes into a Service condition or an Event (the Event recorder cuts
 * there too). User-supplied values inside a message are bounded on their own by `boundText`.
 */
export const MAX_MESSAGE = 1024;

export const SERVICE_GROUP_RESOURCE = { group: 'purelb.io', version: 'v1', plural: 'servicegroups' } as const;
