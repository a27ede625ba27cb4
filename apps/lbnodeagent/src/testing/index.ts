// @purelb/lbnodeagent/testing: an in-memory kernel for tests of the agent.
export { createFakeNetwork } from './fake-network.ts';
export type { FakeNetwork, FakeNetworkOptions, FakeOperation } from './fake-network.ts';
