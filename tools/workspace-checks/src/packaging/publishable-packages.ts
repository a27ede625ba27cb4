// The workspace's publishable packages: every package.json under packages/ that is not private.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly sideEffects?: boolean | readonly string[];
  readonly engines?: { readonly node?: string };
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
}

export interface WorkspacePackage {
  /** Relative to the workspace root, e.g. `packages/ipam-core`. */
  readonly dir: string;
  readonly manifest: Manifest;
}

/** The publishable packages, dependencies before their dependents. */
export function publishablePackages(root: string): WorkspacePackage[] {
  const found = readdirSync(join(root, 'packages'))
    .map((name) => join('packages', name))
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest }))
    .filter((p) => p.manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
  const names = new Set(found.map((p) => p.manifest.name));
  const ordered: WorkspacePackage[] = [];
  const visit = (p: WorkspacePackage, path: readonly string[]): void => {
    if (ordered.includes(p)) return;
    if (path.includes(p.manifest.name)) throw new Error(`dependency cycle: ${[...path, p.manifest.name].join(' → ')}`);
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      const inner = found.find((q) => q.manifest.name === dep);
      if (inner !== undefined) visit(inner, [...path, p.manifest.name]);
    }
    ordered.push(p);
  };
  for (const p of found) visit(p, []);
  return ordered.filter((p) => names.has(p.manifest.name));
}

/** The files an export map points at (`./dist/index.js`, …), under every condition. */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.values(exports).flatMap(exportTargets);
}
