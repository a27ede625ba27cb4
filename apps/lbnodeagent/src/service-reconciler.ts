// One Service's writes from this node: plan them from the last decision and the Service as the
// cache shows it, then execute. Keyed by Service for the daemon's queue.
import type { ApiError, ClusterWriter, EventRecorder, ReconcileOutcome } from '@purelb/k8s-watch';
import { executeServicePlan } from './execute-service-plan.ts';
import type { ServiceObject } from './kube-objects.ts';
import type { Logger } from './logger.ts';
import type { AgentMetrics } from './metrics.ts';
import type { NodeReconciler } from './node-reconciler.ts';
import { formatTime, observeService } from './observe-service.ts';
import { planService } from './plan-service.ts';

export interface ServiceReconcilerDeps {
  readonly node: string;
  readonly service: (key: string) => ServiceObject | undefined;
  readonly reconciler: Pick<NodeReconciler, 'decision' | 'outcomes'>;
  readonly steward: () => string | undefined;
  readonly virtualInterface: () => string;
  /** A stopping agent writes nothing. */
  readonly stopping: () => boolean;
  /** Neither does one whose membership view is frozen (it cannot see its own Lease renewed). */
  readonly frozen: () => boolean;
  readonly writer: Pick<ClusterWriter, 'patchServiceStatus' | 'patchAnnotations'>;
  readonly recorder: Pick<EventRecorder, 'record'>;
  /** Wall clock epoch ms. */
  readonly now: () => number;
  readonly onEventFailed: (reason: string, error: ApiError) => void;
  readonly logger: Logger;
  readonly metrics: AgentMetrics;
}

export function createServiceReconciler(deps: ServiceReconcilerDeps): (key: string) => Promise<ReconcileOutcome> {
  return async (key) => {
    const decision = deps.reconciler.decision();
    // A stopping agent leaves its annotations: they tell its successor to announce the address. A
    // frozen one cannot trust its view: its peers decide and write meanwhile (two writers that
    // disagree would overwrite each other without end).
    if (decision === undefined || deps.stopping() || deps.frozen()) return { kind: 'converged' };
    const obj = deps.service(key);
    if (obj === undefined) return { kind: 'converged' };
    const observed = observeService(obj);
    const actions = planService({
      node: deps.node,
      observed,
      announcement: decision.services.get(key),
      outcomes: deps.reconciler.outcomes(),
      steward: deps.steward(),
      virtualInterface: deps.virtualInterface(),
      now: formatTime(deps.now()),
    });
    if (actions.length === 0) return { kind: 'converged' };
    const result = await executeServicePlan(actions, observed, deps);
    switch (result.kind) {
      case 'done':
        if (result.writes > 0)
          deps.logger.debug('service-written', { key, writes: result.writes, actions: actions.map((a) => a.kind) });
        return { kind: 'converged' };
      case 'gone':
        return { kind: 'converged' };
      case 'failed':
        deps.metrics.countServiceWriteFailure();
        deps.logger.warn('service-write-failed', {
          key,
          action: result.action,
          code: result.error.code,
          message: result.error.message,
        });
        return result.error.code === 'Forbidden' || result.error.code === 'Invalid'
          ? { kind: 'terminal', reason: result.error.message }
          : { kind: 'retry', reason: result.error.message };
    }
  };
}
