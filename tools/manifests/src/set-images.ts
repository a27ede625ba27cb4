// kustomize's `images` transformer for the pod templates of this repository's manifests: an entry
// whose `name` is an image's name (the part before `:tag` or `@digest`) gives it a new name, tag or
// digest.
import type { ManifestObject } from './load-kustomization.ts';

export interface ImageRule {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** `registry:5000/a/b:1.2@sha256:…` → name `registry:5000/a/b`, tag `1.2`, digest `sha256:…`. */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const beforeDigest = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  return {
    name: hasTag ? beforeDigest.slice(0, colon) : beforeDigest,
    ...(hasTag ? { tag: beforeDigest.slice(colon + 1) } : {}),
    ...(digest === undefined ? {} : { digest }),
  };
}

export function formatImage(ref: ImageReference): string {
  return `${ref.name}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** The image after the first rule that names it (a digest replaces the tag, as kustomize does). */
export function applyImageRules(image: string, rules: readonly ImageRule[]): string {
  const ref = parseImage(image);
  const rule = rules.find((r) => r.name === ref.name);
  if (rule === undefined) return image;
  const name = rule.newName ?? ref.name;
  if (rule.digest !== undefined) return formatImage({ name, digest: rule.digest });
  if (rule.newTag !== undefined) return formatImage({ name, tag: rule.newTag });
  return formatImage({ ...ref, name });
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pod spec of a Pod, of a workload's template, or of a CronJob's job template. */
function podSpecs(o: Json): Json[] {
  const spec = o['spec'];
  if (!isRecord(spec)) return [];
  if (o['kind'] === 'Pod') return [spec];
  const template = spec['template'];
  const jobTemplate = spec['jobTemplate'];
  const nested = isRecord(jobTemplate) && isRecord(jobTemplate['spec']) ? jobTemplate['spec']['template'] : undefined;
  return [template, nested].flatMap((t) => (isRecord(t) && isRecord(t['spec']) ? [t['spec']] : []));
}

/** A copy of the object with every container image rewritten by the rules (the object itself when none applies). */
export function setImages(object: ManifestObject, rules: readonly ImageRule[]): ManifestObject {
  if (rules.length === 0) return object;
  const copy = structuredClone(object) as unknown as Json;
  let changed = false;
  for (const pod of podSpecs(copy)) {
    for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
      const list = pod[key];
      if (!Array.isArray(list)) continue;
      for (const c of list as unknown[]) {
        if (!isRecord(c) || typeof c['image'] !== 'string') continue;
        const next = applyImageRules(c['image'], rules);
        if (next !== c['image']) {
          c['image'] = next;
          changed = true;
        }
      }
    }
  }
  return changed ? (copy as unknown as ManifestObject) : object;
}
