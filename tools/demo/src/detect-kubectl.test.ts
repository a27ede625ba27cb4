import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectKubectl, findOnPath } from './detect-kubectl.ts';

describe('findOnPath / detectKubectl', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'purelb-demo-path-'));
    for (const d of ['a', 'b', 'c']) mkdirSync(join(dir, d));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the first executable, skipping non-executable files and directories', () => {
    writeFileSync(join(dir, 'a', 'kubectl'), '#!/bin/sh\n');
    chmodSync(join(dir, 'a', 'kubectl'), 0o644);
    mkdirSync(join(dir, 'b', 'kubectl'));
    writeFileSync(join(dir, 'c', 'kubectl'), '#!/bin/sh\n');
    chmodSync(join(dir, 'c', 'kubectl'), 0o755);
    const path = ['', join(dir, 'a'), join(dir, 'b'), join(dir, 'c')].join(':');
    expect(findOnPath('kubectl', path)).toBe(join(dir, 'c', 'kubectl'));
    expect(detectKubectl(path)).toEqual({ kind: 'on-path', path: join(dir, 'c', 'kubectl') });
  });

  it('finds nothing on an empty or missing PATH', () => {
    expect(findOnPath('kubectl', undefined)).toBeUndefined();
    expect(findOnPath('kubectl', join(dir, 'a'))).toBeUndefined();
  });

  it('reports missing when neither kubectl nor apt-cache is on PATH', () => {
    expect(detectKubectl(join(dir, 'a'))).toEqual({ kind: 'missing' });
  });
});
