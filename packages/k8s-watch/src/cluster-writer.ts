// The writes the daemons make, each with the right patch content type, failures returned as values.
import type { ClusterAccess } from './cluster-access.ts';
import { JSON_CONTENT, MERGE_PATCH, STRATEGIC_MERGE_PATCH, resourceVersionOf, sendJson } from './send-json.ts';
import type { JsonRequest } from './send-json.ts';
import type { ApiResult, JsonObject, JsonValue } from './api-result.ts';

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
  /**
   * Patches `.status` of a Service through its `/status` subresource with a strategic merge patch:
   * `conditions` merge by `type` (the patch names only the writer's own; `conditionRemoval(type)`
   * deletes one), so two writers never overwrite each other's conditions; every other field is
   * replaced, and `null` deletes it, as in a merge patch.
   */
  patchServiceStatus(ref: NamespacedRef, status: JsonObject): Promise<ApiResult<Written>>;
  /** Merge-patches `metadata.annotations`: sets `set`, deletes `remove`. A no-op change sends nothing. */
  patchAnnotations(target: AnnotationTarget, change: AnnotationChange): Promise<ApiResult<Written>>;
  /** Merge-patches `.status` of a custom resource through its `/status` subresource. */
  patchCustomStatus(ref: CustomRef, status: JsonObject): Promise<ApiResult<Written>>;
  /** Creates a core/v1 Event. */
  createEvent(event: CoreEvent): Promise<ApiResult<Written>>;
}

export function createClusterWriter(kubeConfig: ClusterAccess): ClusterWriter {
  const send = async (request: JsonRequest): Promise<ApiResult<Written>> => {
    const result = await sendJson(kubeConfig, request);
    return result.ok ? { ok: true, value: { resourceVersion: resourceVersionOf(result.value) } } : result;
  };
  const mergePatch = (path: string, body: JsonObject): Promise<ApiResult<Written>> =>
    send({ method: 'PATCH', path, body, contentType: MERGE_PATCH });
  return {
    patchServiceStatus: (ref, status) =>
      send({
        method: 'PATCH',
        path: `${servicePath(ref)}/status`,
        body: { status },
        contentType: STRATEGIC_MERGE_PATCH,
      }),
    patchAnnotations: async (target, change) => {
      const annotations = annotationPatch(change);
      if (annotations === undefined) return { ok: true, value: { resourceVersion: undefined } };
      return mergePatch(annotationTargetPath(target), { metadata: { annotations } });
    },
    patchCustomStatus: (ref, status) => mergePatch(`${customPath(ref)}/status`, { status }),
    createEvent: (event) =>
      send({
        method: 'POST',
        path: `/api/v1/namespaces/${seg(event.namespace)}/events`,
        body: event.body,
        contentType: JSON_CONTENT,
      }),
  };
}

/** The entry of a Service's `status.conditions` patch that deletes the condition of that type. */
export function conditionRemoval(type: string): JsonObject {
  return { type, $patch: 'delete' };
}

/** The merge-patch value of `metadata.annotations` for a change (`set` wins over `remove`); undefined if empty. */
export function annotationPatch(change: AnnotationChange): JsonObject | undefined {
  const patch: Record<string, JsonValue> = {};
  for (const key of change.remove ?? []) patch[key] = null;
  for (const [key, value] of Object.entries(change.set ?? {})) patch[key] = value;
  return Object.keys(patch).length === 0 ? undefined : patch;
}

export function annotationTargetPath(target: AnnotationTarget): string {
  switch (target.kind) {
    case 'Service':
      return servicePath(target);
    case 'Node':
      return `/api/v1/nodes/${seg(target.name)}`;
    case 'Lease':
      return `/apis/coordination.k8s.io/v1/namespaces/${seg(target.namespace)}/leases/${seg(target.name)}`;
    case 'Custom':
      return customPath(target);
  }
}

function servicePath(ref: NamespacedRef): string {
  return `/api/v1/namespaces/${seg(ref.namespace)}/services/${seg(ref.name)}`;
}

function customPath(ref: CustomRef): string {
  const scope = ref.namespace === undefined ? '' : `/namespaces/${seg(ref.namespace)}`;
  return `/apis/${seg(ref.group)}/${seg(ref.version)}${scope}/${seg(ref.plural)}/${seg(ref.name)}`;
}

const seg = (s: string): string => encodeURIComponent(s);
