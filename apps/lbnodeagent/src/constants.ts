// Names the node agent reads and writes on the cluster.

export const LOAD_BALANCER_CLASS = 'purelb.io/purelb';
export const COMPONENT = 'purelb-lbnodeagent';

export const ANNOTATIONS = {
  allocatedBy: 'purelb.io/allocated-by',
  allocatedFrom: 'purelb.io/allocated-from',
  poolType: 'purelb.io/pool-type',
  allowSharedIp: 'purelb.io/allow-shared-ip',
  announcingIPv4: 'purelb.io/announcing-IPv4',
  announcingIPv6: 'purelb.io/announcing-IPv6',
  /** On a membership Lease: the subnets of the node's local interfaces, comma-separated CIDRs. */
  subnets: 'purelb.io/subnets',
} as const;

/** Value of `purelb.io/allocated-by` on Services the allocator gave addresses. */
export const ALLOCATED_BY = 'PureLB';

/**
 * Longest condition or Event message the agents write (the Event recorder cuts there too). User
 * values inside a message are bounded on their own by `boundText` of `@purelb/ipam-core`.
 */
export const MAX_MESSAGE = 1024;

/** The Service condition the node agents own. */
export const ANNOUNCED_CONDITION = 'purelb.io/Announced';

/** The LBNodeAgent condition the node agents own. */
export const CONFIG_CONDITION = 'Ready';

/** Membership Leases are named `purelb-node-<node>`. */
export const MEMBER_LEASE_PREFIX = 'purelb-node-';

/** The LBNodeAgent object the agents read their configuration from. */
export const CONFIG_NAME = 'default';

export const LBNODEAGENT_RESOURCE = { group: 'purelb.io', version: 'v1', plural: 'lbnodeagents' } as const;
export const SERVICE_GROUP_RESOURCE = { group: 'purelb.io', version: 'v1', plural: 'servicegroups' } as const;

/** Label on EndpointSlices naming their Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
