// The lint rules that keep the package graph shaped like the architecture, checked on real files of
// the workspace with the project's own ESLint configuration.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", 'Pure libraries do no I/O'],
    ['child_process', "import { spawn } from 'child_process';\nexport const f = spawn;\n", 'Pure libraries do no I/O'],
    ['rxjs', "import { Subject } from 'rxjs';\nexport const s = new Subject<number>();\n", 'RxJS lives at the edges'],
    ['@kubernetes/client-node', "import { KubeConfig } from '@kubernetes/client-node';\nexport const k = new KubeConfig();\n", 'never Kubernetes types'],
    ['a workspace package', "import { createWorkQueue } from '@purelb/k8s-watch';\nexport const q = createWorkQueue;\n", 'import no workspace package'],
  ])('a pure library may not import %s', async (_what, code, message) => {
    const messages = await restrictedImports('packages/ipam-core/src/index.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it('a pure library may import another pure library through its front door', async () => {
    const code = "import { parseAddress } from '@purelb/ipam-core';\nexport const p = parseAddress;\n";
    expect(await restrictedImports('packages/election/src/index.ts', code)).toEqual([]);
  });

  it("a pure library may not reach into another pure library's sources", async () => {
    const code = "import { parseAddress } from '@purelb/ipam-core/src/address.ts';\nexport const p = parseAddress;\n";
    const messages = await restrictedImports('packages/election/src/index.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('front door');
  });

  it('an effect library may not import an app', async () => {
    const messages = await restrictedImports('packages/k8s-watch/src/index.ts', "import { startAllocator } from '@purelb/allocator';\nexport const s = startAllocator;\n");
    expect(messages).toEqual(['\'@purelb/allocator\' import is restricted from being used. @purelb/k8s-watch (type:effect) may not import @purelb/allocator.']);
  });

  it("nobody reaches into another package's sources", async () => {
    const messages = await restrictedImports('apps/allocator/src/main.ts', "import { createIpam } from '@purelb/ipam-core/src/ipam.ts';\nexport const c = createIpam;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('front door');
  });

  it('lets an app import the libraries through their front doors', async () => {
    const code = "import { createIpam } from '@purelb/ipam-core';\nimport { createWorkQueue } from '@purelb/k8s-watch';\nexport const x = [createIpam, createWorkQueue];\n";
    expect(await restrictedImports('apps/allocator/src/main.ts', code)).toEqual([]);
  });
});
