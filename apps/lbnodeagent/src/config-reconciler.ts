// The LBNodeAgent `default`: its spec becomes the agent's configuration when valid (the last valid
// one is kept otherwise), and its `Ready` condition says which. Never throws.
import type { ApiError, ClusterWriter, EventRecorder, JsonObject, ReconcileOutcome } from '@purelb/k8s-watch';
import { CONFIG_NAME, LBNODEAGENT_RESOURCE } from './constants.ts';
import type { LBNodeAgentObject } from './kube-objects.ts';
import { formatTime } from './observe-service.ts';
import { parseAgentConfig } from './parse-agent-config.ts';
import type { ParseAgentConfigResult } from './parse-agent-config.ts';
import { planConfigStatus } from './plan-config-status.ts';

export interface ConfigReconcilerDeps {
  readonly namespace: string;
  readonly current: () => ReadonlyMap<string, LBNodeAgentObject> | undefined;
  readonly writer: Pick<ClusterWriter, 'patchCustomStatus'>;
  readonly recorder: Pick<EventRecorder, 'record'>;
  /** Wall clock epoch ms. */
  readonly now: () => number;
  readonly onEventFailed: (reason: string, error: ApiError) => void;
}

/** The LBNodeAgent object the agents read, if it exists. */
export function configObject(
  snapshot: ReadonlyMap<string, LBNodeAgentObject> | undefined,
  namespace: string,
): LBNodeAgentObject | undefined {
  return snapshot?.get(`${namespace}/${CONFIG_NAME}`);
}

/** Parses the current object (no object: the defaults). */
export function readConfig(
  snapshot: ReadonlyMap<string, LBNodeAgentObject> | undefined,
  namespace: string,
): ParseAgentConfigResult {
  return parseAgentConfig(configObject(snapshot, namespace)?.spec);
}

const conditionsOf = (obj: LBNodeAgentObject): JsonObject[] => {
  const raw: unknown = obj.status?.conditions;
  return Array.isArray(raw)
    ? (raw as unknown[]).filter((c): c is JsonObject => typeof c === 'object' && c !== null)
    : [];
};

export async function reconcileConfigStatus(deps: ConfigReconcilerDeps): Promise<ReconcileOutcome> {
  const obj = configObject(deps.current(), deps.namespace);
  if (obj === undefined) return { kind: 'converged' };
  const parsed = parseAgentConfig(obj.spec);
  const generation = obj.metadata?.generation;
  const actions = planConfigStatus({ generation, conditions: conditionsOf(obj) }, parsed, formatTime(deps.now()));
  for (const action of actions) {
    switch (action.kind) {
      case 'patch-status': {
        const r = await deps.writer.patchCustomStatus(
          { ...LBNODEAGENT_RESOURCE, namespace: deps.namespace, name: CONFIG_NAME },
          action.status,
        );
        if (!r.ok)
          return r.error.code === 'NotFound' ? { kind: 'converged' } : { kind: 'retry', reason: r.error.message };
        break;
      }
      case 'event': {
        const uid = obj.metadata?.uid;
        const involved = {
          apiVersion: `${LBNODEAGENT_RESOURCE.group}/${LBNODEAGENT_RESOURCE.version}`,
          kind: 'LBNodeAgent',
          namespace: deps.namespace,
          name: CONFIG_NAME,
          ...(uid === undefined ? {} : { uid }),
        };
        const r = await deps.recorder.record(involved, {
          type: action.type,
          reason: action.reason,
          message: action.message,
          slot: 'config',
        });
        if (r.kind === 'failed') deps.onEventFailed(action.reason, r.error);
        break;
      }
    }
  }
  return { kind: 'converged' };
}
