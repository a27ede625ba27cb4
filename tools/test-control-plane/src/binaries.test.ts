import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateBinaries } from './binaries.ts';

const emptyCache = mkdtempSync(join(tmpdir(), 'purelb-no-cache-'));
afterAll(() => {
  rmSync(emptyCache, { recursive: true, force: true });
});

/** This environment without Go on PATH, with a cache that holds no binaries. */
function withoutGo(): NodeJS.ProcessEnv {
  const path = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => !existsSync(join(dir, 'go')));
  return { ...process.env, PATH: path.join(delimiter), PURELB_CACHE: emptyCache, PURELB_CONTROL_PLANE_BIN: '' };
}

describe('locateBinaries', () => {
  it('says on one line that Go is missing when nothing is cached', async () => {
    const lines: string[] = [];
    const located = locateBinaries({ env: withoutGo(), progress: (line) => lines.push(line) });
    await expect(located).rejects.toThrow(
      /^no control plane: Go >= 1\.25 is required to build kube-apiserver and etcd into .*PURELB_CONTROL_PLANE_BIN/,
    );
    expect(lines).toHaveLength(1);
  });

  it('names the missing binaries of PURELB_CONTROL_PLANE_BIN', async () => {
    await expect(locateBinaries({ env: { PURELB_CONTROL_PLANE_BIN: emptyCache } })).rejects.toThrow(
      `PURELB_CONTROL_PLANE_BIN=${emptyCache}: no executable`,
    );
  });
});
