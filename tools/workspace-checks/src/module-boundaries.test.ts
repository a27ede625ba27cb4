// The lint rules that keep the package graph shaped like the architecture, checked on real files of
// the workspace with the project's own ESLint configuration.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function messagesOf(rule: string, at: { file: string; code: string }): Promise<string[]> {
  const [result] = await eslint.lintText(at.code, { filePath: join(root, at.file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

async function restrictedImports(file: string, code: string): Promise<string[]> {
  return messagesOf('no-restricted-imports', { file, code });
}

// Typed linting builds one TypeScript program per project on its first file (seconds on a busy
// machine): build them here, not inside the first test of each project.
beforeAll(async () => {
  const files = [
    'packages/ipam-core/src/index.ts',
    'packages/election/src/index.ts',
    'packages/k8s-watch/src/index.ts',
    'apps/allocator/src/main.ts',
  ];
  for (const file of files) await eslint.lintText('export {};\n', { filePath: join(root, file) });
}, 120_000);

describe('module boundaries', () => {
  it.each([
    [
      'node:fs',
      "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
      'Pure libraries do no I/O',
    ],
    ['child_process', "import { spawn } from 'child_process';\nexport const f = spawn;\n", 'Pure libraries do no I/O'],
    ['rxjs', "import { Subject } from 'rxjs';\nexport const s = new Subject<number>();\n", 'RxJS lives at the edges'],
    [
      '@kubernetes/client-node',
      "import { KubeConfig } from '@kubernetes/client-node';\nexport const k = new KubeConfig();\n",
      'never Kubernetes types',
    ],
    [
      'a workspace package',
      "import { createWorkQueue } from '@purelb/k8s-watch';\nexport const q = createWorkQueue;\n",
      'import no workspace package',
    ],
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
    const messages = await restrictedImports(
      'packages/k8s-watch/src/index.ts',
      "import { startAllocator } from '@purelb/allocator';\nexport const s = startAllocator;\n",
    );
    expect(messages).toEqual([
      "'@purelb/allocator' import is restricted from being used. @purelb/k8s-watch (type:effect) may not import @purelb/allocator.",
    ]);
  });

  it("an app's shipped code may not import another app, not even its ./testing; its tests may", async () => {
    const code = "import { labFixtures } from '@purelb/lbnodeagent/testing';\nexport const l = labFixtures;\n";
    const messages = await restrictedImports('apps/allocator/src/main.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('may not import @purelb/lbnodeagent');
    expect(await restrictedImports('apps/allocator/src/allocation.int.test.ts', code)).toEqual([]);
    const root = "import { startNodeAgent } from '@purelb/lbnodeagent';\nexport const s = startNodeAgent;\n";
    expect(await restrictedImports('apps/allocator/src/allocation.int.test.ts', root)).toHaveLength(1);
  });

  it("nobody reaches into another package's sources", async () => {
    const messages = await restrictedImports(
      'apps/allocator/src/main.ts',
      "import { createIpam } from '@purelb/ipam-core/src/ipam.ts';\nexport const c = createIpam;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('front door');
  });

  it('lets an app import the libraries through their front doors', async () => {
    const code =
      "import { createIpam } from '@purelb/ipam-core';\nimport { createWorkQueue } from '@purelb/k8s-watch';\nexport const x = [createIpam, createWorkQueue];\n";
    expect(await restrictedImports('apps/allocator/src/main.ts', code)).toEqual([]);
  });

  it('a library may not import a tool outside its tests', async () => {
    const code =
      "import { startControlPlane } from '@purelb/test-control-plane';\nexport const s = startControlPlane;\n";
    const messages = await restrictedImports('packages/k8s-watch/src/index.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('only its tests and benches may import a tool');
    const subpath =
      "import { kubeconfigPath } from '@purelb/test-control-plane/vitest';\nexport const k = kubeconfigPath;\n";
    expect(await restrictedImports('packages/k8s-watch/src/testing/index.ts', subpath)).toHaveLength(1);
    expect(await restrictedImports('packages/k8s-watch/src/watch-resource.int.test.ts', code)).toEqual([]);
  });
});

describe('code shape rules', () => {
  it('max-params: a fourth positional parameter is refused, three are fine', async () => {
    const four =
      'export function f(a: number, b: number, c: number, d: number): number {\n  return a + b + c + d;\n}\n';
    const three = 'export function f(a: number, b: number, c: number): number {\n  return a + b + c;\n}\n';
    const file = 'packages/k8s-watch/src/index.ts';
    expect(await messagesOf('@typescript-eslint/max-params', { file, code: four })).toHaveLength(1);
    expect(await messagesOf('@typescript-eslint/max-params', { file, code: three })).toEqual([]);
    const table =
      "import { it } from 'vitest';\nit.each([[1, 2, 3, 6]])('%d + %d + %d = %d', (a, b, c, sum) => {\n  if (a + b + c !== sum) throw new Error('sum');\n});\n";
    expect(
      await messagesOf('@typescript-eslint/max-params', {
        file: 'packages/k8s-watch/src/work-queue.test.ts',
        code: table,
      }),
    ).toEqual([]);
  });

  it('consistent-type-imports: a name used only as a type is imported with `import type`', async () => {
    const code = "import { Ipam } from './ipam.ts';\nexport const ipams: Ipam[] = [];\n";
    const messages = await messagesOf('@typescript-eslint/consistent-type-imports', {
      file: 'packages/ipam-core/src/index.ts',
      code,
    });
    expect(messages).toHaveLength(1);
    const typed = "import type { Ipam } from './ipam.ts';\nexport const ipams: Ipam[] = [];\n";
    expect(
      await messagesOf('@typescript-eslint/consistent-type-imports', {
        file: 'packages/ipam-core/src/index.ts',
        code: typed,
      }),
    ).toEqual([]);
  });

  it('one type-import style: no inline `type` specifier beside values', async () => {
    const code =
      "import { createIpam, type Ipam } from './ipam.ts';\nexport const make: () => Ipam = () => createIpam([]);\n";
    for (const file of ['packages/ipam-core/src/index.ts', 'apps/allocator/src/main.ts']) {
      const messages = await messagesOf('no-restricted-syntax', { file, code });
      expect(messages).toEqual(['Import types with a separate `import type { ... }`.']);
    }
  });

  it('a pure library takes no clock, environment or randomness; an effect library may', async () => {
    const expressions = [
      'Date.now()',
      'new Date()',
      'Date()',
      'Math.random()',
      'performance.now()',
      "process.env['HOME']",
    ];
    const code = expressions.map((e, i) => `export const value${i} = String(${e});\n`).join('');
    const found = async (file: string): Promise<number[]> => {
      const [result] = await eslint.lintText(code, { filePath: join(root, file) });
      return (result?.messages ?? [])
        .filter((m) => m.message.includes('Pure libraries are deterministic'))
        .map((m) => m.line);
    };
    expect(await found('packages/ipam-core/src/index.ts')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await found('packages/k8s-watch/src/index.ts')).toEqual([]);
  });

  it("a pure library's bench may read the clock", async () => {
    const code = 'export const t0 = performance.now();\n';
    expect(
      await messagesOf('no-restricted-properties', { file: 'packages/ipam-core/bench/ipam.bench.ts', code }),
    ).toEqual([]);
  });
});
