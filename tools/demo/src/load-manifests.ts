// Reads the objects of a kustomize directory's own resource files (not the directories it includes).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface LoadedManifests {
  /** `resources` entries that are directories (e.g. `../crds`), as written. */
  readonly directories: readonly string[];
  /** Objects of the file entries, in file order, each with the file it came from. */
  readonly objects: readonly { readonly file: string; readonly object: ManifestObject }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws with the file (and document index) when something does not parse or is not an object. */
export function loadKustomization(dir: string): LoadedManifests {
  const kustomization: unknown = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]?.toJS();
  if (!isRecord(kustomization) || !Array.isArray(kustomization['resources'])) {
    throw new Error(`${dir}/kustomization.yaml: no resources list`);
  }
  const directories: string[] = [];
  const objects: { file: string; object: ManifestObject }[] = [];
  for (const entry of kustomization['resources'] as unknown[]) {
    if (typeof entry !== 'string') throw new Error(`${dir}/kustomization.yaml: resources holds a non-string`);
    const path = join(dir, entry);
    if (!existsSync(path)) throw new Error(`${dir}/kustomization.yaml: ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      directories.push(entry);
      continue;
    }
    const docs = parseAllDocuments(readFileSync(path, 'utf8'));
    docs.forEach((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`${entry} document ${i}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) return;
      if (
        !isRecord(value) ||
        typeof value['apiVersion'] !== 'string' ||
        typeof value['kind'] !== 'string' ||
        !isRecord(value['metadata']) ||
        typeof value['metadata']['name'] !== 'string'
      ) {
        throw new Error(`${entry} document ${i}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
      }
      objects.push({ file: entry, object: value as unknown as ManifestObject });
    });
  }
  return { directories, objects };
}
