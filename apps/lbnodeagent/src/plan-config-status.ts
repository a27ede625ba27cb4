// The LBNodeAgent's `Ready` condition and Warning Event from parsing its spec. Pure. Every agent
// computes the same condition from the same object, so each writes only when it differs.
import type { JsonObject, JsonValue } from '@purelb/k8s-watch';
import { boundText } from '@purelb/ipam-core';
import { CONFIG_CONDITION, MAX_MESSAGE } from './constants.ts';
import type { ParseAgentConfigResult } from './parse-agent-config.ts';
import { describeConfig } from './parse-agent-config.ts';

export interface ObservedAgentConfig {
  readonly generation: number | undefined;
  readonly conditions: readonly JsonObject[];
}

export type ConfigAction =
  | { readonly kind: 'patch-status'; readonly status: JsonObject }
  | { readonly kind: 'event'; readonly type: 'Warning'; readonly reason: 'InvalidConfig'; readonly message: string };

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function planConfigStatus(
  observed: ObservedAgentConfig,
  parsed: ParseAgentConfigResult,
  now: string,
): ConfigAction[] {
  const text = parsed.ok
    ? `in use: ${describeConfig(parsed.value)}`
    : `${parsed.errors.map((e) => e.message).join('; ')}; the agents keep their last valid configuration`;
  const want = {
    status: parsed.ok ? 'True' : 'False',
    reason: parsed.ok ? 'Valid' : 'InvalidConfig',
    message: boundText(text, { quote: false, max: MAX_MESSAGE }),
  };
  const current = observed.conditions.find((c) => c['type'] === CONFIG_CONDITION);
  const same =
    current !== undefined &&
    str(current['status']) === want.status &&
    str(current['reason']) === want.reason &&
    str(current['message']) === want.message &&
    (typeof current['observedGeneration'] === 'number' ? current['observedGeneration'] : undefined) ===
      observed.generation;
  if (same) return [];
  const keep =
    current !== undefined && str(current['status']) === want.status ? str(current['lastTransitionTime']) : undefined;
  const condition: Record<string, JsonValue> = { type: CONFIG_CONDITION, ...want, lastTransitionTime: keep ?? now };
  if (observed.generation !== undefined) condition['observedGeneration'] = observed.generation;
  const others = observed.conditions.filter((c) => c['type'] !== CONFIG_CONDITION);
  const actions: ConfigAction[] = [{ kind: 'patch-status', status: { conditions: [...others, condition] } }];
  if (!parsed.ok) actions.push({ kind: 'event', type: 'Warning', reason: 'InvalidConfig', message: want.message });
  return actions;
}
