// JSON merge patch (RFC 7386), as the API server applies `application/merge-patch+json`.
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
