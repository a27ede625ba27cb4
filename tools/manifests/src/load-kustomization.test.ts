import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKustomization } from './load-kustomization.ts';

const dir = mkdtempSync(join(tmpdir(), 'purelb-kustomization-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const write = (path: string, text: string): void => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const pod = (name: string, image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: ${image}\n`;

describe('loadKustomization', () => {
  it('expands directories in place and applies every enclosing kustomization’s images', () => {
    write('inner/kustomization.yaml', 'resources: [b.yaml]\nimages: [{ name: x/b, newTag: "2" }]\n');
    write('inner/b.yaml', pod('b', 'x/b:1'));
    write(
      'outer/kustomization.yaml',
      'resources: [a.yaml, ../inner, c.yaml]\nimages:\n  - name: x/b\n    newName: r/b\n',
    );
    write('outer/a.yaml', `# a comment\n${pod('a', 'x/a:1')}---\n`);
    write('outer/c.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: c, namespace: n }\n');
    const k = loadKustomization(join(dir, 'outer'));
    expect(k.files.map((f) => f.path)).toEqual([
      join(dir, 'outer/a.yaml'),
      join(dir, 'inner/b.yaml'),
      join(dir, 'outer/c.yaml'),
    ]);
    expect(k.objects.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    const image = (i: number): unknown =>
      (k.objects[i] as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template
        .spec.containers[0]?.image;
    expect(image(1)).toBe('r/b:2');
    expect(k.files[1]?.written[0]).not.toEqual(k.files[1]?.objects[0]);
    expect(k.files[0]?.text).toContain('# a comment');
  });

  it('refuses fields it does not implement, missing files and non-objects', () => {
    write('patched/kustomization.yaml', 'resources: []\nnamespace: other\n');
    expect(() => loadKustomization(join(dir, 'patched'))).toThrow('namespace is not implemented by this reader');
    write('missing/kustomization.yaml', 'resources: [nope.yaml]\n');
    expect(() => loadKustomization(join(dir, 'missing'))).toThrow('nope.yaml does not exist');
    write('bad/kustomization.yaml', 'resources: [x.yaml]\n');
    write('bad/x.yaml', 'kind: Thing\n');
    expect(() => loadKustomization(join(dir, 'bad'))).toThrow('not a Kubernetes object');
  });
});
