// Flat config: typescript-eslint strict type-checked rules for every TypeScript file, plus the
// module-boundary rules derived from each workspace project's `nx.tags` in its package.json:
//   type:pure   imports only other pure libraries of the workspace, no rxjs, no @kubernetes/client-node,
//               no I/O modules
//   type:effect imports pure libraries and third-party packages, never an app
//   type:app    may import any library, never another app
// and nobody reaches into another package's files (`@purelb/x/src/...`, `../../packages/...`).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
const projects = ['packages', 'apps', 'tools'].flatMap((dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .map((name) => join(dir, name))
        .filter((p) => existsSync(join(root, p, 'package.json')))
        .map((p) => {
          const pkg = JSON.parse(readFileSync(join(root, p, 'package.json'), 'utf8'));
          return { dir: p, name: pkg.name, tags: pkg.nx?.tags ?? [] };
        })
    : [],
);
const byTag = (tag) => projects.filter((p) => p.tags.includes(tag)).map((p) => p.name);
const io = ['fs', 'fs/promises', 'net', 'dgram', 'child_process', 'http', 'https', 'http2', 'dns', 'tls', 'cluster', 'worker_threads'];
const ioModules = io.flatMap((m) => [m, `node:${m}`]);
const deepImports = [
  { group: ['@purelb/*/src', '@purelb/*/src/**', '@purelb/*/dist/**'], message: 'Import a package through its front door (its package.json exports).' },
  { group: ['**/packages/*/**', '**/apps/*/**'], message: 'Import another workspace project by its package name.' },
];

function boundary(project) {
  const tags = project.tags;
  const paths = [];
  const patterns = [...deepImports];
  if (tags.includes('type:pure')) {
    paths.push(...ioModules.map((name) => ({ name, message: 'Pure libraries do no I/O.' })));
    paths.push({ name: 'rxjs', message: 'RxJS lives at the edges, not in pure libraries.' });
    paths.push({ name: '@kubernetes/client-node', message: 'Pure libraries speak domain types, never Kubernetes types.' });
    const allowed = [...new Set([project.name, ...byTag('type:pure')])].map((n) => `!${n}`);
    patterns.push({ group: ['@purelb/*', ...allowed, 'rxjs/*'], message: 'Pure libraries import no workspace package except other pure libraries.' });
  } else {
    const forbidden = tags.includes('type:effect')
      ? byTag('type:app')
      : tags.includes('type:app')
        ? byTag('type:app').filter((n) => n !== project.name)
        : [];
    paths.push(...forbidden.filter((n) => n !== project.name).map((name) => ({ name, message: `${project.name} (${tags.join(', ')}) may not import ${name}.` })));
  }
  return {
    files: [`${project.dir}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.test.ts', '**/*.int.test.ts', '**/bench/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  ...projects.map(boundary),
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
