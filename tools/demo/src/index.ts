// @purelb/demo: the pieces of `npm run demo`, for reuse by other tools.
export { parseDemoOptions, demoUsage } from './demo-options.ts';
export type { DemoOptions, DemoOptionError, ParseDemoOptionsResult } from './demo-options.ts';
export { sampleServiceGroups } from './sample-service-groups.ts';
export type { ServiceGroupObject, PoolSpec } from './sample-service-groups.ts';
export { sampleServices, SPECIFIC_ADDRESS, SHARING_KEY, DEMO_LABEL, DEMO_LABEL_VALUE } from './sample-services.ts';
export {
  allocationRow,
  isSettled,
  formatAllocationTable,
  ALLOCATED_CONDITION,
  ALLOCATED_FROM_ANNOTATION,
} from './allocation-table.ts';
export type { AllocationRow, AllocationCondition } from './allocation-table.ts';
export { waitForAllocation } from './wait-for-allocation.ts';
export type { WaitForAllocationOptions, AllocationWaitResult } from './wait-for-allocation.ts';
export { formatAccessInstructions, parseAptCandidate } from './access-instructions.ts';
export type { AccessInstructionsInput, KubectlAvailability, ClientCredentialFiles } from './access-instructions.ts';
export { detectKubectl, findOnPath } from './detect-kubectl.ts';
export { writeClientCredentials } from './client-credentials.ts';
export type { ServiceManifest, ServiceView, ServicePortSpec, IpFamily, IpFamilyPolicy } from './service-shapes.ts';
export { runLabDemo, formatAnnouncerTable } from './lab-demo.ts';
export type { LabDemoOptions, AnnouncedRow } from './lab-demo.ts';
