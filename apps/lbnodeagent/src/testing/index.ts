// @purelb/lbnodeagent/testing: an in-memory kernel and cluster for tests of the agent, and the agent
// as a child process (for the lab's integration tests, the demo and the benchmark).
export { createFakeNetwork } from './fake-network.ts';
export type { FakeNetwork, FakeNetworkOptions, FakeOperation } from './fake-network.ts';
export { createInMemoryCluster, allocatedService } from './in-memory-cluster.ts';
export type { InMemoryCluster } from './in-memory-cluster.ts';
export { startAgentProcess, agentArgs } from './agent-process.ts';
export type { AgentExit, AgentLogLine, AgentProcess, AgentProcessOptions } from './agent-process.ts';
