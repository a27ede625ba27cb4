import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

interface Manifest {
  name: string;
  private?: boolean;
  engines?: { node?: string };
  devEngines?: { runtime?: unknown; packageManager?: unknown };
  devDependencies?: Record<string, string>;
}

const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const manifest = read(root);
const workspacePackages = ['packages', 'apps', 'tools'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map(read),
);

describe('runtime', () => {
  it('runs the project on Node 24', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  it('brings Node 24 as a devDependency, and names it in .nvmrc for shells', () => {
    expect(manifest.devDependencies?.node).toMatch(/^\^?24\./);
    expect(readFileSync(join(root, '.nvmrc'), 'utf8').trim()).toBe('24');
  });

  it('asks of the machine only a Node that runs npm 10 (devEngines), not Node 24', () => {
    expect(manifest.engines).toBeUndefined();
    expect(manifest.devEngines?.runtime).toEqual({ name: 'node', version: '>=20.17', onFail: 'error' });
  });

  it.each(workspacePackages.map((p) => [p.name, p] as const))(
    '%s: a private package declares no engines (npm would warn on the installing Node); a published one does',
    (_name, pkg) => {
      if (pkg.private === true) expect(pkg.engines).toBeUndefined();
      else expect(pkg.engines?.node).toMatch(/^>=\d+/);
    },
  );
});
