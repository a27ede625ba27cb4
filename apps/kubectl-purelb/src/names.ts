// Names PureLB writes on the cluster, as the plugin reads them (SPEC §3, §5).

export const LOAD_BALANCER_CLASS = 'purelb.io/purelb';

export const ANNOTATIONS = {
  serviceGroup: 'purelb.io/service-group',
  addresses: 'purelb.io/addresses',
  allowSharedIp: 'purelb.io/allow-shared-ip',
  allocatedBy: 'purelb.io/allocated-by',
  allocatedFrom: 'purelb.io/allocated-from',
  poolType: 'purelb.io/pool-type',
  announcingIPv4: 'purelb.io/announcing-IPv4',
  announcingIPv6: 'purelb.io/announcing-IPv6',
  /** On a membership Lease: the node's subnets, comma-separated CIDRs. */
  subnets: 'purelb.io/subnets',
} as const;

export const ALLOCATED_CONDITION = 'purelb.io/Allocated';
export const ANNOUNCED_CONDITION = 'purelb.io/Announced';
export const READY_CONDITION = 'Ready';

/** Membership Leases of the node agents are named `purelb-node-<node>`. */
export const MEMBER_LEASE_PREFIX = 'purelb-node-';

/** The install namespace when none is given. */
export const DEFAULT_INSTALL_NAMESPACE = 'purelb';
