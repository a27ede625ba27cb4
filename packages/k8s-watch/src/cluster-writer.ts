// The writes the daemons make, each with the right patch content type, failures returned as values.
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonObject, WriteResult } from './write-result.ts';

export interface NamespacedRef {
  readonly namespace: string;
  readonly name: string;
}

/** A custom resource, e.g. `{ group: 'purelb.io', version: 'v1', plural: 'servicegroups', namespace: 'purelb', name }`. */
export interface CustomRef {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  /** Unset for cluster-scoped resources. */
  readonly namespace?: string;
  readonly name: string;
}

/** Objects whose annotations can be patched. */
export type AnnotationTarget =
  | ({ readonly kind: 'Service' } & NamespacedRef)
  | { readonly kind: 'Node'; readonly name: string }
  | ({ readonly kind: 'Lease' } & NamespacedRef)
  | ({ readonly kind: 'Custom' } & CustomRef);

export interface AnnotationChange {
  /** Keys to set (or overwrite). */
  readonly set?: Readonly<Record<string, string>>;
  /** Keys to remove (absent keys are fine). */
  readonly remove?: readonly string[];
}

/** What a successful write returns. */
export interface Written {
  readonly resourceVersion: string | undefined;
}

/** A core/v1 Event as posted (see `EventRecorder` for the deduplicating front end). */
export interface CoreEvent {
  readonly namespace: string;
  readonly body: JsonObject;
}

export interface ClusterWriter {
  /** Merge-patches `.status` of a Service through its `/status` subresource. */
  patchServiceStatus(ref: NamespacedRef, status: JsonObject): Promise<WriteResult<Written>>;
  /** Merge-patches `metadata.annotations`: sets `set`, deletes `remove`. A no-op change sends nothing. */
  patchAnnotations(target: AnnotationTarget, change: AnnotationChange): Promise<WriteResult<Written>>;
  /** Merge-patches `.status` of a custom resource through its `/status` subresource. */
  patchCustomStatus(ref: CustomRef, status: JsonObject): Promise<WriteResult<Written>>;
  /** Creates a core/v1 Event. */
  createEvent(event: CoreEvent): Promise<WriteResult<Written>>;
}

export function createClusterWriter(_kubeConfig: KubeConfig): ClusterWriter {
  throw new Error('createClusterWriter: not implemented yet');
}
