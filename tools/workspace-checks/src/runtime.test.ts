import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
};

describe('runtime', () => {
  it('runs the project on Node 24', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  it('declares Node 24 in engines and brings it as a devDependency', () => {
    expect(manifest.engines?.node).toBe('>=24 <25');
    expect(manifest.devDependencies?.node).toMatch(/^\^?24\./);
  });
});
