// @purelb/allocator/testing: the allocator as a child process, for integration tests, the demo and
// benchmarks.
export {
  startAllocatorProcess,
  stopAndReport,
  listeningPort,
  parseLogLine,
  allocatorArgs,
} from './allocator-process.ts';
export type {
  AllocatorProcess,
  AllocatorProcessOptions,
  AllocatorExit,
  AllocatorLogLevel,
  LeadershipTimings,
  LogLine,
} from './allocator-process.ts';
// The metrics registry as the daemon builds it (for checks of dashboards and alerts against it).
export { createMetrics } from '../metrics.ts';
export type { AllocatorMetrics } from '../metrics.ts';
