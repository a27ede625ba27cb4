// deploy/install.yaml and the chart's CRDs are generated from the sources: they must match what
// `npm run render-install` would write now.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKustomization, parseManifests } from './load-kustomization.ts';
import { generatedDirectories, renderGenerated, renderInstall, staleFiles, strayFiles } from './render-install.ts';

const root = join(import.meta.dirname, '..', '..', '..');

describe('generated files', () => {
  it('deploy/install.yaml and the chart’s crds/ and files/monitoring/ are up to date (run `npm run render-install`)', () => {
    expect(staleFiles(renderGenerated(root)).map((p) => relative(root, p))).toEqual([]);
    expect(generatedDirectories(root).flatMap(({ dir, files }) => strayFiles(dir, files))).toEqual([]);
  });

  it('install.yaml holds the CRDs, then the namespace, then the base, and no operator data', () => {
    const objects = parseManifests(readFileSync(join(root, 'deploy', 'install.yaml'), 'utf8'), 'install.yaml');
    const expected = ['crds', 'namespace', 'base'].flatMap((s) => loadKustomization(join(root, 'deploy', s)).objects);
    expect(objects).toEqual(expected);
    expect(objects.slice(0, 3).map((o) => o.kind)).toEqual([
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'Namespace',
    ]);
    expect(objects.filter((o) => o.kind === 'ServiceGroup' || o.kind === 'LBNodeAgent')).toEqual([]);
  });

  it('says what it is made of and keeps the sources’ comments', () => {
    const { text } = renderInstall(root);
    expect(text).toMatch(/^# PureLB \d+\.\d+\.\d+: /);
    expect(text).toContain('# Source: deploy/base/allocator-deployment.yaml\n# Two replicas; one leads');
  });
});
