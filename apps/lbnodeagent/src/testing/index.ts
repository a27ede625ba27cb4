// @purelb/lbnodeagent/testing: an in-memory kernel for tests of the agent, and the agent as a child
// process (for the lab's integration tests, the demo and the benchmark).
export { createFakeNetwork } from './fake-network.ts';
export type { FakeNetwork, FakeNetworkOptions, FakeOperation } from './fake-network.ts';
export { startAgentProcess, agentArgs } from './agent-process.ts';
export type { AgentExit, AgentLogLine, AgentProcess, AgentProcessOptions } from './agent-process.ts';
