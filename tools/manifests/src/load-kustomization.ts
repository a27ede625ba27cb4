// Reads a kustomization of this repository the way `kustomize build` does for the fields it uses:
// `resources` (files and directories, each directory its own kustomization) and `images`. Any other
// field is refused, so what is read here never silently differs from what `kubectl apply -k` applies
// (kustomize.int.test.ts compares the two).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { setImages } from './set-images.ts';
import type { ImageRule } from './set-images.ts';

export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One file named by a kustomization: its text as written and its objects as kustomize emits them. */
export interface ManifestFile {
  /** The file's path. */
  readonly path: string;
  readonly text: string;
  /** As written in the file. */
  readonly written: readonly ManifestObject[];
  /** After the `images` of every kustomization on the way to the file. */
  readonly objects: readonly ManifestObject[];
}

export interface Kustomization {
  readonly dir: string;
  /** The files in `resources` order, directories expanded in place. */
  readonly files: readonly ManifestFile[];
  /** Every object of `files`, in order. */
  readonly objects: readonly ManifestObject[];
  /** This kustomization's own `images`. */
  readonly images: readonly ImageRule[];
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'images']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isManifestObject(v: unknown): v is ManifestObject {
  return (
    isRecord(v) &&
    typeof v['apiVersion'] === 'string' &&
    typeof v['kind'] === 'string' &&
    isRecord(v['metadata']) &&
    typeof v['metadata']['name'] === 'string'
  );
}

/** The objects of a YAML text (empty documents skipped). Throws, naming `what`, on a parse error or a non-object. */
export function parseManifests(text: string, what: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${what} document ${i}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    if (!isManifestObject(value))
      throw new Error(`${what} document ${i}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
    objects.push(value);
  });
  return objects;
}

function readImages(raw: unknown, where: string): ImageRule[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Error(`${where}: images is not a list`);
  return raw.map((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string') throw new Error(`${where}: images[${i}] has no name`);
    const optional = (key: string): string | undefined => {
      const v = entry[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new Error(`${where}: images[${i}].${key} is not a string`);
      return v;
    };
    const unknown = Object.keys(entry).filter((k) => !['name', 'newName', 'newTag', 'digest'].includes(k));
    if (unknown.length > 0)
      throw new Error(`${where}: images[${i}] has ${unknown.join(', ')}, which this reader does not implement`);
    const newName = optional('newName');
    const newTag = optional('newTag');
    const digest = optional('digest');
    return {
      name: entry['name'],
      ...(newName === undefined ? {} : { newName }),
      ...(newTag === undefined ? {} : { newTag }),
      ...(digest === undefined ? {} : { digest }),
    };
  });
}

/** Reads `dir/kustomization.yaml` and everything it names. Throws with the file and the reason on anything it cannot read. */
export function loadKustomization(dir: string): Kustomization {
  const where = join(dir, 'kustomization.yaml');
  const kustomization: unknown = parseAllDocuments(readFileSync(where, 'utf8'))[0]?.toJS();
  if (!isRecord(kustomization) || !Array.isArray(kustomization['resources']))
    throw new Error(`${where}: no resources list`);
  const unknown = Object.keys(kustomization).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0)
    throw new Error(`${where}: ${unknown.join(', ')} is not implemented by this reader; render with kustomize`);
  const images = readImages(kustomization['images'], where);
  const files: ManifestFile[] = [];
  for (const entry of kustomization['resources'] as unknown[]) {
    if (typeof entry !== 'string') throw new Error(`${where}: resources holds a non-string`);
    const path = join(dir, entry);
    if (!existsSync(path)) throw new Error(`${where}: ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      for (const f of loadKustomization(path).files)
        files.push({ ...f, objects: f.objects.map((o) => setImages(o, images)) });
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const written = parseManifests(text, relative(process.cwd(), path));
    files.push({ path, text, written, objects: written.map((o) => setImages(o, images)) });
  }
  return { dir, files, objects: files.flatMap((f) => f.objects), images };
}
