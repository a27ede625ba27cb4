// @purelb/routing-sidecar/testing: the sidecar as a child process, the lab's upstream router, and
// the whole routed picture in a lab (for integration tests, the benchmark and the demo).
export { startSidecarProcess, sidecarArgs } from './sidecar-process.ts';
export type { SidecarExit, SidecarProcess, SidecarProcessOptions } from './sidecar-process.ts';
export { createLabRouter, renderRouterConfig } from './lab-router.ts';
export type { LabRouter, RouterConfigInput, RouterPeer, RouterRoute, RouterTimers } from './lab-router.ts';
export { startRoutingLab, labRoutingYaml, LAB_TIMERS, ROUTING_GROUPS, ROUTER_ASN, CLUSTER_ASN } from './routing-lab.ts';
export type { RoutingLab, RoutingLabOptions } from './routing-lab.ts';
