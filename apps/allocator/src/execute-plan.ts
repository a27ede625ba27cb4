// The thin executor: performs planned writes in order, checking leadership before each one.
import type { ClusterWriter, EventRecorder, InvolvedObject, ApiError } from '@purelb/k8s-watch';
import { SERVICE_GROUP_RESOURCE } from './constants.ts';
import type { GroupAction } from './plan-group-status.ts';
import type { ServiceAction } from './plan-service.ts';

export type ExecuteOutcome =
  | { readonly kind: 'done'; readonly writes: number }
  /** Leadership was lost; nothing more was written. */
  | { readonly kind: 'not-leader' }
  /** The object is gone; its deletion will be reconciled on its own. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly action: string; readonly error: ApiError };

export interface ExecuteDeps {
  readonly writer: Pick<ClusterWriter, 'patchServiceStatus' | 'patchAnnotations' | 'patchCustomStatus'>;
  readonly recorder: Pick<EventRecorder, 'record'>;
  /** Asked before every write: false stops the batch. */
  readonly canWrite: () => boolean;
  /** Told when an Event could not be posted (Events are best effort and never fail a batch). */
  readonly onEventFailed?: (reason: string, error: ApiError) => void;
}

export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

function involved(apiVersion: string, kind: string, ref: ObjectRef): InvolvedObject {
  return {
    apiVersion,
    kind,
    namespace: ref.namespace,
    name: ref.name,
    ...(ref.uid === undefined ? {} : { uid: ref.uid }),
  };
}

function failure(action: string, error: ApiError): ExecuteOutcome {
  return error.code === 'NotFound' ? { kind: 'gone' } : { kind: 'failed', action, error };
}

export async function executeServicePlan(
  actions: readonly ServiceAction[],
  ref: ObjectRef,
  deps: ExecuteDeps,
): Promise<ExecuteOutcome> {
  let writes = 0;
  for (const action of actions) {
    if (!deps.canWrite()) return { kind: 'not-leader' };
    switch (action.kind) {
      case 'patch-status': {
        const r = await deps.writer.patchServiceStatus({ namespace: ref.namespace, name: ref.name }, action.status);
        if (!r.ok) return failure(action.kind, r.error);
        writes++;
        break;
      }
      case 'patch-annotations': {
        const r = await deps.writer.patchAnnotations(
          { kind: 'Service', namespace: ref.namespace, name: ref.name },
          { set: action.set, remove: action.remove },
        );
        if (!r.ok) return failure(action.kind, r.error);
        writes++;
        break;
      }
      case 'event': {
        const r = await deps.recorder.record(involved('v1', 'Service', ref), {
          type: action.type,
          reason: action.reason,
          message: action.message,
          slot: action.slot,
        });
        if (r.kind === 'failed') deps.onEventFailed?.(action.reason, r.error);
        if (r.kind === 'posted') writes++;
        break;
      }
    }
  }
  return { kind: 'done', writes };
}

export async function executeGroupPlan(
  actions: readonly GroupAction[],
  ref: ObjectRef,
  deps: ExecuteDeps,
): Promise<ExecuteOutcome> {
  let writes = 0;
  for (const action of actions) {
    if (!deps.canWrite()) return { kind: 'not-leader' };
    switch (action.kind) {
      case 'patch-status': {
        const r = await deps.writer.patchCustomStatus(
          { ...SERVICE_GROUP_RESOURCE, namespace: ref.namespace, name: ref.name },
          action.status,
        );
        if (!r.ok) return failure(action.kind, r.error);
        writes++;
        break;
      }
      case 'event': {
        const apiVersion = `${SERVICE_GROUP_RESOURCE.group}/${SERVICE_GROUP_RESOURCE.version}`;
        const r = await deps.recorder.record(involved(apiVersion, 'ServiceGroup', ref), {
          type: action.type,
          reason: action.reason,
          message: action.message,
          slot: 'ready',
        });
        if (r.kind === 'failed') deps.onEventFailed?.(action.reason, r.error);
        if (r.kind === 'posted') writes++;
        break;
      }
    }
  }
  return { kind: 'done', writes };
}
