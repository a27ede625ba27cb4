// JSON merge patch (RFC 7386), as the API server applies `application/merge-patch+json`, and the part
// of a strategic merge patch the daemons use on a Service's status: conditions merged by type.
import type { JsonValue } from '../api-result.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The target with the patch applied: objects merge key by key, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: JsonValue): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out = new Map<string, unknown>(isObject(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) out.delete(key);
    else out.set(key, applyMergePatch(out.get(key), value));
  }
  return Object.fromEntries(out);
}

const typeOf = (v: unknown): unknown => (isObject(v) ? v['type'] : undefined);

/**
 * A Service with a strategic merge patch of its `.status` applied, as the API server does for the
 * fields the daemons write: `conditions` merge by `type` (an entry with `$patch: delete` removes its
 * type); everything else as a merge patch.
 */
export function applyServiceStatusPatch(service: unknown, status: JsonValue): unknown {
  const object = isObject(service) ? service : {};
  return { ...object, status: patchStatus(object['status'], status) };
}

function patchStatus(target: unknown, patch: JsonValue): unknown {
  if (!isObject(patch) || !Array.isArray(patch['conditions'])) return applyMergePatch(target, patch);
  const { conditions: changes, ...rest } = patch as Record<string, JsonValue>;
  const merged = applyMergePatch(target, rest) as Record<string, unknown>;
  const current: unknown[] = Array.isArray(merged['conditions']) ? [...(merged['conditions'] as unknown[])] : [];
  for (const change of changes as JsonValue[]) {
    const at = current.findIndex((c) => typeOf(c) === typeOf(change));
    if (isObject(change) && change['$patch'] === 'delete') {
      if (at >= 0) current.splice(at, 1);
    } else if (at >= 0) {
      current[at] = applyMergePatch(current[at], change);
    } else {
      current.push(structuredClone(change));
    }
  }
  if (current.length > 0) merged['conditions'] = current;
  else delete merged['conditions'];
  return merged;
}
