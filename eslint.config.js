// Flat config: typescript-eslint strict type-checked rules for every TypeScript file, plus the
// module-boundary rules derived from each workspace project's `nx.tags` in its package.json:
//   type:pure   imports only other pure libraries of the workspace, no rxjs, no @kubernetes/client-node,
//               no I/O modules
//   type:effect imports pure libraries and third-party packages, never an app
//   type:app    may import any library, never another app
//   type:tool   (test harnesses, demo, checks) may import anything; no library imports a tool outside
//               its tests and benches
// and nobody reaches into another package's files (`@purelb/x/src/...`, `../../packages/...`).
// On top: `max-params` 3 (an options object beyond that), one type-import style (a separate
// `import type`), and no clock, environment or randomness in the sources of pure libraries.
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
const byDirTag = (tag) => projects.filter((p) => p.tags.includes(tag)).map((p) => p.dir);
const testFiles = ['**/*.test.ts', '**/*.int-fixture.ts', '**/bench/**'];
const io = [
  'fs',
  'fs/promises',
  'net',
  'dgram',
  'child_process',
  'http',
  'https',
  'http2',
  'dns',
  'tls',
  'cluster',
  'worker_threads',
];
const ioModules = io.flatMap((m) => [m, `node:${m}`]);
const deepImports = [
  {
    group: ['@purelb/*/src', '@purelb/*/src/**', '@purelb/*/dist/**'],
    message: 'Import a package through its front door (its package.json exports).',
  },
  { group: ['**/packages/*/**', '**/apps/*/**'], message: 'Import another workspace project by its package name.' },
];

function boundary(project) {
  const tags = project.tags;
  const paths = [];
  const patterns = [...deepImports];
  /** Restrictions on the code a project ships, not on its tests, fixtures and benches. */
  const shippedOnly = { paths: [], patterns: [] };
  if (tags.includes('type:pure')) {
    paths.push(...ioModules.map((name) => ({ name, message: 'Pure libraries do no I/O.' })));
    paths.push({ name: 'rxjs', message: 'RxJS lives at the edges, not in pure libraries.' });
    paths.push({
      name: '@kubernetes/client-node',
      message: 'Pure libraries speak domain types, never Kubernetes types.',
    });
    const allowed = [...new Set([project.name, ...byTag('type:pure')])].map((n) => `!${n}`);
    patterns.push({
      group: ['@purelb/*', ...allowed, 'rxjs/*'],
      message: 'Pure libraries import no workspace package except other pure libraries.',
    });
  } else {
    const forbidden = tags.includes('type:effect')
      ? byTag('type:app')
      : tags.includes('type:app')
        ? byTag('type:app').filter((n) => n !== project.name)
        : [];
    paths.push(
      ...forbidden.map((name) => ({ name, message: `${project.name} (${tags.join(', ')}) may not import ${name}.` })),
    );
    // An effect library imports no entry of an app; an app's tests may use another app's `./testing`
    // (the node agent's lab runs the allocator), its shipped code may not (below).
    const subpaths = forbidden.map((name) => ({
      group: [`${name}/*`],
      message: `${project.name} (${tags.join(', ')}) may not import ${name}.`,
    }));
    if (tags.includes('type:effect')) patterns.push(...subpaths);
    else shippedOnly.patterns.push(...subpaths);
  }
  if (tags.includes('type:effect')) {
    // A library's shipped code never imports a tool (tools are private; their tests may use them).
    const tools = byTag('type:tool');
    const toolMessage = `${project.name} is a library: only its tests and benches may import a tool (${tools.join(', ')}).`;
    shippedOnly.paths.push(...tools.map((name) => ({ name, message: toolMessage })));
    shippedOnly.patterns.push(...tools.map((name) => ({ group: [`${name}/*`], message: toolMessage })));
  }
  const all = { files: [`${project.dir}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
  if (shippedOnly.paths.length === 0 && shippedOnly.patterns.length === 0) return [all];
  const shipped = {
    files: [`${project.dir}/**/*.ts`],
    ignores: tags.includes('type:app') ? [...testFiles, '**/src/testing/**'] : testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...paths, ...shippedOnly.paths], patterns: [...patterns, ...shippedOnly.patterns] },
      ],
    },
  };
  return [all, shipped];
}

const separateTypeImports = {
  selector: 'ImportDeclaration[importKind="value"] > ImportSpecifier[importKind="type"]',
  message: 'Import types with a separate `import type { ... }`.',
};

// Pure libraries are deterministic: no clock, no environment, no randomness (benches measure time).
const nondeterministic =
  'Pure libraries are deterministic: take the value (a clock, a seed, a setting) as a parameter.';
const pureDeterminism = {
  files: byDirTag('type:pure').map((dir) => `${dir}/src/**/*.ts`),
  rules: {
    'no-restricted-properties': [
      'error',
      ...[
        ['Date', 'now'],
        ['Math', 'random'],
        ['performance', 'now'],
        ['process', 'env'],
        ['process', 'hrtime'],
        ['crypto', 'randomUUID'],
        ['crypto', 'getRandomValues'],
      ].map(([object, property]) => ({ object, property, message: nondeterministic })),
    ],
    'no-restricted-syntax': [
      'error',
      separateTypeImports,
      { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: nondeterministic },
      { selector: 'CallExpression[callee.name="Date"]', message: nondeterministic },
    ],
  },
};

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
      '@typescript-eslint/max-params': ['error', { max: 3 }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      'no-console': 'off',
    },
  },
  {
    // One type-import style: a separate `import type { T }`, never `import { type T }`.
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', separateTypeImports],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.test.ts', '**/*.int.test.ts', '**/bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // A test table (`it.each`) hands each row's cells to the test as positional arguments.
  { files: ['**/*.test.ts'], rules: { '@typescript-eslint/max-params': 'off' } },
  ...projects.flatMap(boundary),
  pureDeterminism,
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
