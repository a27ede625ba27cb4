import { defineConfig } from 'vitest/config';

// One run covers every workspace project. Unit tests (`*.test.ts`) need nothing; integration tests
// (`*.int.test.ts`) share one real control plane started by the global setup of the `integration`
// project, and each of them works in a namespace of its own.
const roots = ['packages', 'apps', 'tools'];
const sources = roots.map((r) => `${r}/*/src/**`);

export default defineConfig({
  resolve: { conditions: ['@purelb/source'] },
  ssr: { resolve: { conditions: ['@purelb/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: sources.map((s) => `${s}/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: sources.map((s) => `${s}/*.int.test.ts`),
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['tools/test-control-plane/src/global-setup.ts'],
          setupFiles: ['tools/test-control-plane/src/file-isolation.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
