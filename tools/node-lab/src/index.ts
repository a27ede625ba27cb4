// @purelb/node-lab: the whole PureLB picture in a lab of network namespaces, for end-to-end tests,
// the node agent's benchmark and the demo.
export { startAgentLab, createLabService, waitForIngress, SERVICE_GROUPS } from './agent-lab.ts';
export type { AgentLab, AgentLabOptions } from './agent-lab.ts';
export { createAllocatedServices } from './allocated-services.ts';
export type { AllocatedService, CreateAllocatedOptions } from './allocated-services.ts';
