// @purelb/ipam-core: exact, interval-based IP address management for PureLB service groups.

export type { IpAddress, IpFamily, Parsed, ParseError, ParseErrorCode } from './address.ts';
export { IP_FAMILIES, familyBits, formatAddress, parseAddress } from './address.ts';

export type { AddressRange, Cidr } from './address-range.ts';
export {
  formatCidr,
  formatRange,
  parseCidr,
  parsePool,
  rangeContains,
  rangeCovers,
  rangeSize,
  rangesOverlap,
} from './address-range.ts';

export type { Aggregation } from './aggregation.ts';
export { aggregationPrefixLength, parseAggregation } from './aggregation.ts';

export type { GroupError, GroupErrorCode, Pool, ServiceGroup, Validated } from './service-group.ts';
export { formatGroupErrors, groupPools } from './service-group.ts';
export { reservedAddresses } from './pool-options.ts';
export { formatCount, formatRangeCompact, formatUsage } from './format-count.ts';
export { parseServiceGroupSpec } from './parse-service-group-spec.ts';
export type { GroupCheck, GroupInput } from './validate-service-groups.ts';
export { validateServiceGroups } from './validate-service-groups.ts';

export type {
  AddressLocation,
  AllocatedAddress,
  Allocation,
  AllocationError,
  AllocationErrorCode,
  AllocationRequest,
  AllocationResult,
  ExistingAllocation,
  FamilyStats,
  GroupStats,
  ImportIssue,
  ImportIssueCode,
  ImportReport,
  IpFamilyPolicy,
  OutsidePool,
  PoolStats,
  PortSpec,
  Protocol,
} from './allocation.ts';
export { DEFAULT_SERVICE_GROUP } from './allocation.ts';
export type { Ipam } from './ipam.ts';
export { createIpam } from './ipam.ts';

// user-supplied text in messages, bounded (used by both daemons for conditions, Events and logs)
export type { BoundTextOptions } from './bound-text.ts';
export { BOUND_TEXT_MAX, boundText } from './bound-text.ts';
