// Test doubles for code built on @purelb/netlink-driver: an in-memory kernel with the NetlinkDriver
// contract, changeable from outside as an operator with `ip` would change it.
export { createFakeKernel, createFakeNetlinkDriver } from './fake-netlink-driver.ts';
export type { FakeAnnouncement, FakeDriverOptions, FakeKernel, FakeKernelOptions } from './fake-netlink-driver.ts';
export type { FakeOutside, OutsideAddress, OutsideLink, OutsideRoute } from './fake-kernel.ts';
