// @purelb/netlink-driver: the node agent's hands on the Linux kernel (links, addresses, default
// routes, announcements) over rtnetlink, as values in and out.

export type {
  AddOutcome,
  Address,
  AddressFilter,
  AddressFlags,
  AddressRef,
  AddressScope,
  AddressSpec,
  AnnounceOutcome,
  AnnounceRequest,
  DefaultRoute,
  DeleteOutcome,
  EnsureLinkOutcome,
  EnsureLinkRequest,
  FindSubnetOptions,
  IpFamily,
  Link,
  LinkKind,
  LinkState,
  NetlinkChange,
  NetlinkDriver,
  ReplaceOutcome,
  SubnetMatch,
} from './netlink-driver.ts';
export type { DriverError, DriverErrorCode, DriverOp, DriverResult } from './driver-error.ts';
export { ADDRESS_PROTOCOL } from './address-protocol.ts';
export { createNetlinkDriver } from './create-netlink-driver.ts';
export type { NetlinkDriverOptions } from './create-netlink-driver.ts';
export type { AnnouncerOptions } from './announcer.ts';
export type { HelperOutcome, HelperRunner } from './run-helper.ts';
