import { describe, expect, it } from 'vitest';
import type { ManifestObject } from './load-kustomization.ts';
import { applyImageRules, parseImage, setImages } from './set-images.ts';

describe('images', () => {
  it.each([
    ['purelb/allocator:0.1.0', { name: 'purelb/allocator', tag: '0.1.0' }],
    ['registry.example:5000/purelb/allocator', { name: 'registry.example:5000/purelb/allocator' }],
    ['r:5000/a@sha256:ab', { name: 'r:5000/a', digest: 'sha256:ab' }],
    ['a:1@sha256:ab', { name: 'a', tag: '1', digest: 'sha256:ab' }],
  ])('parses %s', (image, ref) => {
    expect(parseImage(image)).toEqual(ref);
  });

  it('rewrites name, tag or digest by the first rule naming the image, as kustomize does', () => {
    const rules = [
      { name: 'purelb/allocator', newName: 'registry.example/purelb/allocator', newTag: '0.2.0' },
      { name: 'purelb/lbnodeagent', digest: 'sha256:ab' },
      { name: 'purelb/allocator', newTag: 'ignored' },
    ];
    expect(applyImageRules('purelb/allocator:0.1.0', rules)).toBe('registry.example/purelb/allocator:0.2.0');
    expect(applyImageRules('purelb/lbnodeagent:0.1.0', rules)).toBe('purelb/lbnodeagent@sha256:ab');
    expect(applyImageRules('purelb/other:0.1.0', rules)).toBe('purelb/other:0.1.0');
    expect(applyImageRules('purelb/allocator', [{ name: 'purelb/allocator', newName: 'x/a' }])).toBe('x/a');
  });

  it('rewrites every container of a pod template and leaves the input alone', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'a' },
      spec: {
        template: {
          spec: {
            initContainers: [{ image: 'purelb/a:1' }],
            containers: [{ image: 'purelb/a:1' }, { image: 'other:1' }],
          },
        },
      },
    } as unknown as ManifestObject;
    const out = setImages(deployment, [{ name: 'purelb/a', newTag: '2' }]);
    expect(out['spec']).toEqual({
      template: {
        spec: {
          initContainers: [{ image: 'purelb/a:2' }],
          containers: [{ image: 'purelb/a:2' }, { image: 'other:1' }],
        },
      },
    });
    expect(JSON.stringify(deployment)).not.toContain('purelb/a:2');
    expect(setImages(deployment, [{ name: 'nothing', newTag: '2' }])).toBe(deployment);
  });
});
