// @purelb/lbnodeagent: the node agent daemon. Run it with `src/main.ts`; these exports let a test or
// a tool embed the same pieces main.ts wires together.

export { startNodeAgent } from './node-agent.ts';
export type { AgentDeps, NodeAgent } from './node-agent.ts';
export { connectCluster } from './agent-cluster.ts';
export type { AgentCluster } from './agent-cluster.ts';
export { parseOptions, usage } from './options.ts';
export type { AgentOptions, HostFacts, ListenAddress, LogLevel, OptionError, ParseOptionsResult } from './options.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { createMetrics } from './metrics.ts';
export type { AgentMetrics } from './metrics.ts';
export { startHealthServer } from '@purelb/daemon-kit';
export type { HealthServer, Readiness } from '@purelb/daemon-kit';
export type {
  AddressSpec,
  NetworkAddress,
  NetworkFailure,
  NetworkFailureCode,
  NetworkLink,
  NetworkResult,
  NetworkView,
  NodeNetwork,
} from './node-network.ts';
export type { AnnouncedReason } from './plan-service.ts';
export type { ConfigProblem, ConfigProblemCode } from './parse-agent-config.ts';
