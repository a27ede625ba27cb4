// The part of an object's metadata a watch cache keeps (ADR 0014): name, namespace and version always;
// uid, generation and age only when asked; of the labels and annotations only the named ones.
// Everything else the server sends — managedFields, owner references, finalizers, any label or
// annotation anyone wrote (kubectl's last-applied configuration is a copy of the whole object) — is
// dropped. The opt-in fields matter at scale: a uid and a timestamp are ~100 bytes per object.
import { internString } from './intern-string.ts';

export interface ProjectedMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Metadata fields kept only when named: not every reader needs them. */
export type OptionalMetadataField = 'uid' | 'generation' | 'creationTimestamp';

export interface MetadataProjection {
  /** uid, generation, creationTimestamp: which to keep. Default none. */
  readonly fields?: readonly OptionalMetadataField[];
  /** Annotations to keep, by name. Default none. */
  readonly annotations?: readonly string[];
  /** Labels to keep, by name. Default none. */
  readonly labels?: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

/** The named string entries of a string map; undefined when none is there. */
function pick(raw: unknown, names: readonly string[] | undefined): Record<string, string> | undefined {
  const all = record(raw);
  let out: Record<string, string> | undefined;
  for (const name of names ?? []) {
    const value = all?.[name];
    if (typeof value === 'string') (out ??= {})[name] = value;
  }
  return out;
}

/** `metadata` as the cache keeps it; a field of the wrong type is left out. Never throws. */
export function projectMetadata(raw: unknown, keep: MetadataProjection = {}): ProjectedMetadata {
  const m = record(raw) ?? {};
  const out: {
    -readonly [K in keyof ProjectedMetadata]: ProjectedMetadata[K];
  } = {};
  if (typeof m.name === 'string') out.name = m.name;
  if (typeof m.namespace === 'string') out.namespace = internString(m.namespace);
  if (typeof m.resourceVersion === 'string') out.resourceVersion = m.resourceVersion;
  for (const field of keep.fields ?? []) {
    const value = m[field];
    if (field === 'generation') {
      if (typeof value === 'number') out.generation = value;
    } else if (typeof value === 'string') {
      out[field] = value;
    }
  }
  const labels = pick(m.labels, keep.labels);
  if (labels !== undefined) out.labels = labels;
  const annotations = pick(m.annotations, keep.annotations);
  if (annotations !== undefined) out.annotations = annotations;
  return out;
}
