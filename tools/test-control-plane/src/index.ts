// @purelb/test-control-plane: a real kube-apiserver + etcd for integration tests, benchmarks and
// demos, with a throw-away PKI. Vitest helpers live behind `@purelb/test-control-plane/vitest`.

// start, attach, stop
export { startControlPlane, attachControlPlane, DEFAULT_CRD_DIR } from './start-control-plane.ts';
export type { ControlPlaneOptions } from './start-control-plane.ts';
export type { ControlPlane, RestartOptions } from './control-plane.ts';
export { compactEtcd } from './etcd.ts';

// the binaries
export { locateBinaries, runBuildScript, BUILD_SCRIPT } from './binaries.ts';
export type { Binaries, BuildScriptOptions, LocateOptions } from './binaries.ts';

// test helpers
export { loadKubeConfig, createTestNamespace, testNamespaceName } from './test-namespace.ts';

// the one poll-until of the workspace
export { waitUntil, waitFor, WaitError, DEFAULT_WAIT_MS } from './wait-until.ts';
export type { Probe, WaitOptions, Found } from './wait-until.ts';

// a keep-alive JSON REST client with a kubeconfig's credentials
export { createKubeClient, expectOk, MERGE_PATCH } from './kube-client.ts';
export type { KubeClient, KubeClientOptions, KubeRequestOptions, KubeResponse, KubeMethod } from './kube-client.ts';
export { statusMessage } from './http-exchange.ts';

// measuring a daemon as shipped (memory benchmarks)
export { residentBytes, sampleResidentSet, imageNodeFlags } from './process-memory.ts';
export type { ResidentField, ResidentSample } from './process-memory.ts';
export {
  heapBreakdown,
  heapSnapshotFlags,
  mb,
  measureDaemon,
  memoryBenchResult,
  parseMemoryBenchArgs,
  residentKinds,
  startMemoryBench,
  writeHeapSnapshot,
} from './memory-bench.ts';
export type { MemoryBench, MemoryBenchArgs, MemoryBenchDaemon, MemoryBenchOptions } from './memory-bench.ts';
