// @purelb/test-lab: a lab of network namespaces on the real kernel for the node agent's integration
// tests, benchmarks and demo: LAN bridges, node namespaces, clients, a router, an API server relay.

// build and tear down
export { createLab } from './create-lab.ts';
export type { Lab, LabOptions, LabTarget } from './create-lab.ts';
export { labSupport } from './lab-support.ts';
export type { LabSupport, LabSupportProblem, LabSupportProblemCode } from './lab-support.ts';
export { destroyLabs, listLabs } from './lab-directory.ts';
export type { LabListing } from './lab-directory.ts';

// the topology as data
export { planLab, labMac, NAMESPACE_PREFIX, MAX_NODES } from './lab-plan.ts';
export type {
  LabPlan,
  LabPlanInput,
  LabPlanResult,
  LabPlanProblem,
  LabPlanProblemCode,
  LabHost,
  LabHostKind,
  LabNode,
  LabInterface,
  LabSegment,
  LabSegmentName,
} from './lab-plan.ts';

// the API server relay
export { parseApiServer } from './api-server-address.ts';
export type { ApiServerAddress, ApiServerProblemCode, ApiServerResult } from './api-server-address.ts';

// commands
export type { CommandResult, RunOptions } from './run-command.ts';
