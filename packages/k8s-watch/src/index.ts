// @purelb/k8s-watch: the effect library both daemons stand on. The one place that imports rxjs and
// @kubernetes/client-node among the libraries.

// time and retry
export { systemClock } from './clock.ts';
export type { Clock, CancelTimer, RandomSource } from './clock.ts';
export { backoffDelay, defaultBackoff, resolveBackoff } from './backoff.ts';
export type { BackoffPolicy } from './backoff.ts';

// the client configuration: where the API server is and the credentials (client-node's KubeConfig fits)
export type { ClusterAccess, ClusterEndpoint } from './cluster-access.ts';
export { loadClusterAccess, SERVICE_ACCOUNT_DIR } from './load-cluster-access.ts';
export { loadKubeconfigSource } from './kubeconfig-source.ts';
export type { KubeconfigSource, LoadKubeconfigResult } from './kubeconfig-source.ts';
export type {
  ClusterAccessSource,
  LoadClusterAccessFailure,
  LoadClusterAccessFailureCode,
  LoadClusterAccessOptions,
  LoadClusterAccessResult,
} from './load-cluster-access.ts';

// list/watch → snapshots
export { watchResource } from './watch-resource.ts';
export { objectKey } from './object-key.ts';
export { projectMetadata } from './project-metadata.ts';
export { createStringPool, internString } from './intern-string.ts';
export type { StringPool, StringPoolOptions } from './intern-string.ts';
export type { MetadataProjection, OptionalMetadataField, ProjectedMetadata } from './project-metadata.ts';
export { createKubeTransport } from './kube-transport.ts';
export type {
  KubeObject,
  ListPage,
  ListRequest,
  ListResult,
  ResourceWatch,
  Snapshot,
  SnapshotUpdate,
  WatchEvent,
  WatchFailure,
  WatchFailureCode,
  WatchHandlers,
  WatchPhase,
  WatchRequest,
  WatchResourceOptions,
  WatchSource,
  WatchStatus,
  WatchStream,
  WatchTransport,
} from './watch-types.ts';

// reconcile queue
export { createWorkQueue } from './work-queue.ts';
export type { ReconcileOutcome, SettledReconcile, WorkQueue, WorkQueueOptions, WorkQueueStats } from './work-queue.ts';

// leadership (leader Lease)
export { createLeadership } from './leadership.ts';
export type { LeadershipStatus, Leadership, LeadershipOptions } from './leadership.ts';
export { createLeaseClient } from './lease-client.ts';
export type { LeaseClient, LeaseClientOptions, LeaseRecord, LeaseRef, LeaseSpec } from './lease-client.ts';

// writes
export { conditionRemoval, createClusterWriter } from './cluster-writer.ts';
export type {
  AnnotationChange,
  AnnotationTarget,
  ClusterWriter,
  CoreEvent,
  CustomRef,
  NamespacedRef,
  Written,
} from './cluster-writer.ts';
export { createEventRecorder } from './event-recorder.ts';
export type {
  EventRecorder,
  EventRecorderOptions,
  EventToRecord,
  InvolvedObject,
  RecordOutcome,
} from './event-recorder.ts';
export type { ApiError, ApiErrorCode, ApiResult, JsonObject, JsonValue } from './api-result.ts';

// the process: what a daemon does on a fault nothing caught (ADR 0007)
export { installCrashPolicy, CRASH_EXIT_CODE } from './crash-policy.ts';
export type { CrashPolicy, CrashPolicyOptions, CrashSource, FatalFault } from './crash-policy.ts';
