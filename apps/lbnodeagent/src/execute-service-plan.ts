// Performs planned Service writes in order: annotations, status, then Events (best effort).
import type { ApiError, ClusterWriter, EventRecorder } from '@purelb/k8s-watch';
import type { ServiceAction } from './plan-service.ts';

export type ServiceWriteOutcome =
  | { readonly kind: 'done'; readonly writes: number }
  /** The Service is gone; its deletion is reconciled on its own. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly action: string; readonly error: ApiError };

export interface ServiceWriteDeps {
  readonly writer: Pick<ClusterWriter, 'patchServiceStatus' | 'patchAnnotations'>;
  readonly recorder: Pick<EventRecorder, 'record'>;
  /** Told when an Event could not be posted (Events never fail a batch). */
  readonly onEventFailed?: (reason: string, error: ApiError) => void;
}

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

const failure = (action: string, error: ApiError): ServiceWriteOutcome =>
  error.code === 'NotFound' ? { kind: 'gone' } : { kind: 'failed', action, error };

export async function executeServicePlan(
  actions: readonly ServiceAction[],
  ref: ServiceRef,
  deps: ServiceWriteDeps,
): Promise<ServiceWriteOutcome> {
  let writes = 0;
  for (const action of actions) {
    switch (action.kind) {
      case 'patch-annotations': {
        const r = await deps.writer.patchAnnotations(
          { kind: 'Service', namespace: ref.namespace, name: ref.name },
          { set: action.set, remove: action.remove },
        );
        if (!r.ok) return failure(action.kind, r.error);
        writes++;
        break;
      }
      case 'patch-status': {
        const r = await deps.writer.patchServiceStatus({ namespace: ref.namespace, name: ref.name }, action.status);
        if (!r.ok) return failure(action.kind, r.error);
        writes++;
        break;
      }
      case 'event': {
        const involved = {
          apiVersion: 'v1',
          kind: 'Service',
          namespace: ref.namespace,
          name: ref.name,
          ...(ref.uid === undefined ? {} : { uid: ref.uid }),
        };
        const r = await deps.recorder.record(involved, {
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
