// @purelb/allocator: the allocator daemon. Run it with `src/main.ts`; these exports let a test or a
// tool embed the same pieces main.ts wires together.

export { startAllocator } from './allocator.ts';
export type { Allocator, AllocatorDeps } from './allocator.ts';
export { parseOptions, usage, LEASE_NAME } from './options.ts';
export type { AllocatorOptions, HostFacts, KubeconfigSource, ListenAddress, LogLevel, OptionError, ParseOptionsResult } from './options.ts';
export { loadKubeConfig } from './load-kube-config.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { createMetrics } from './metrics.ts';
export type { AllocatorMetrics } from './metrics.ts';
export { startHealthServer } from './health-server.ts';
export type { HealthServer, Readiness } from './health-server.ts';
