// Every publishable package (a package.json under packages/ that is not private) as its users get
// it: built, packed with npm, installed offline from the npm cache into one project outside the
// workspace (with the packed tarballs of its workspace dependencies), then used from plain Node and
// from TypeScript compiled with `moduleResolution` nodenext and bundler, every entry point included.
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerProject } from './packaging/consumer-lockfile.ts';
import type { PackedPackage, WorkspaceLock } from './packaging/consumer-lockfile.ts';
import { exportTargets, publishablePackages } from './packaging/publishable-packages.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const packages = publishablePackages(root);
const work = mkdtempSync(join(tmpdir(), 'purelb-packages-'));
const app = join(work, 'app');
const run = promisify(execFile);
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  npm_config_update_notifier: 'false',
};

interface Packed {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly integrity: string;
  readonly files: readonly { readonly path: string }[];
}

/** The import specifier of each entry point: `@purelb/x`, `@purelb/x/testing`. */
const entryPoints = (name: string, exportsMap: unknown): string[] =>
  Object.keys(typeof exportsMap === 'object' && exportsMap !== null ? exportsMap : { '.': exportsMap }).map((k) =>
    k === '.' ? name : `${name}/${k.replace(/^\.\//, '')}`,
  );
const scenarioDir = join(import.meta.dirname, 'packaging', 'consumers');
const scenarios = packages.map((p) => basename(p.dir)).filter((dir) => existsSync(join(scenarioDir, `${dir}.ts`)));

/** Packages that did not build (or depend on one that did not), with the build's output. */
const unbuilt = new Map<string, string>();
let built: typeof packages = [];
let packed: Packed[] = [];
let runtimeExports: Record<string, { names?: string[]; error?: string }> = {};
let compiled: Record<'nodenext' | 'bundler', { ok: boolean; output: string }> | undefined;

function tsconfig(resolution: 'nodenext' | 'bundler'): object {
  return {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2023'],
      module: resolution === 'nodenext' ? 'nodenext' : 'preserve',
      moduleResolution: resolution,
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(app, 'node_modules', '@types'), join(root, 'node_modules', '@types')],
      ...(resolution === 'nodenext' ? { outDir: 'dist', rootDir: 'src' } : { noEmit: true }),
    },
    include: ['src/**/*.ts'],
  };
}

async function typecheck(resolution: 'nodenext' | 'bundler'): Promise<{ ok: boolean; output: string }> {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: app, env });
    return { ok: true, output: '' };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  const nx = realpathSync(join(root, 'node_modules', '.bin', 'nx'));
  const names = packages.map((p) => p.manifest.name);
  try {
    execFileSync(
      process.execPath,
      [nx, 'run-many', '-t', 'build', '-p', ...names, '--output-style=static', '--nxBail=false'],
      { cwd: root, env, stdio: 'pipe' },
    );
  } catch (error) {
    const output = `${String((error as { stdout?: unknown }).stdout)}${String((error as { stderr?: unknown }).stderr)}`;
    for (const failed of output.matchAll(/^\s*- (\S+):build$/gm)) unbuilt.set(failed[1] ?? '', output);
    if (unbuilt.size === 0) throw error;
  }
  for (const p of packages) {
    const broken = Object.keys(p.manifest.dependencies ?? {}).find((d) => unbuilt.has(d));
    if (broken !== undefined) unbuilt.set(p.manifest.name, `it depends on ${broken}, which did not build`);
  }
  built = packages.filter((p) => !unbuilt.has(p.manifest.name));

  const tarballs = join(app, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const workspaces = built.flatMap((p) => ['-w', p.dir]);
  const packOut = execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs, ...workspaces],
    { cwd: root, env, encoding: 'utf8' },
  );
  packed = JSON.parse(packOut) as Packed[];

  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as WorkspaceLock;
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { cwd: root, env, encoding: 'utf8' }).trim();
  const consumer = consumerProject(
    lock,
    built.map((p): PackedPackage => {
      const tarball = packed.find((t) => t.name === p.manifest.name);
      if (tarball === undefined) throw new Error(`npm pack made no tarball for ${p.manifest.name}`);
      return {
        name: p.manifest.name,
        version: p.manifest.version,
        dir: p.dir,
        tarball: posix.join('tarballs', tarball.filename),
        integrity: tarball.integrity,
        dependencies: p.manifest.dependencies ?? {},
      };
    }),
    { registry },
  );
  writeFileSync(join(app, 'package.json'), JSON.stringify(consumer.manifest, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumer.lock, null, 2));
  execFileSync('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: app,
    env,
    stdio: 'pipe',
  });

  // Plain Node: every entry point loads; its export names are recorded for the TypeScript check.
  const specs = built.flatMap((p) => entryPoints(p.manifest.name, p.manifest.exports));
  const lister = [
    'const found = {};',
    `for (const spec of ${JSON.stringify(specs)}) {`,
    '  try {',
    '    found[spec] = { names: Object.keys(await import(spec)).sort() };',
    '  } catch (error) {',
    '    found[spec] = { error: String(error) };',
    '  }',
    '}',
    'console.log(JSON.stringify(found));',
  ].join('\n');
  writeFileSync(join(app, 'list-exports.mjs'), lister);
  runtimeExports = JSON.parse(
    execFileSync(process.execPath, ['list-exports.mjs'], { cwd: app, encoding: 'utf8' }),
  ) as typeof runtimeExports;

  // TypeScript: what Node exports at run time is exactly what the declarations declare as values.
  mkdirSync(join(app, 'src'));
  const checks = Object.entries(runtimeExports).map(([spec, { names = [] }], i) =>
    [
      `import * as m${i} from '${spec}';`,
      `export const exports${i}: Record<keyof typeof m${i}, true> = { ${names.map((n) => `${n}: true`).join(', ')} };`,
    ].join('\n'),
  );
  writeFileSync(join(app, 'src', 'exports.ts'), `${checks.join('\n')}\n`);
  for (const dir of scenarios.filter((d) => built.some((p) => basename(p.dir) === d)))
    copyFileSync(join(scenarioDir, `${dir}.ts`), join(app, 'src', `${dir}.ts`));
  for (const resolution of ['nodenext', 'bundler'] as const) {
    writeFileSync(join(app, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig(resolution), null, 2));
  }
  const [nodenext, bundler] = await Promise.all([typecheck('nodenext'), typecheck('bundler')]);
  compiled = { nodenext, bundler };
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('publishable packages', () => {
  it('are found under packages/', () => {
    expect(packages.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(['@purelb/ipam-core', '@purelb/k8s-watch']),
    );
  });

  describe.each(packages.map((p) => [p.manifest.name, p] as const))('%s', (name, { dir, manifest }) => {
    const installed = (): string => join(app, 'node_modules', ...name.split('/'));
    const shipped = (): Set<string> => new Set((packed.find((t) => t.name === name)?.files ?? []).map((f) => f.path));

    it('builds', () => {
      expect(unbuilt.get(name)).toBeUndefined();
    });

    it('names its repository folder, its side effects, licence and the Node it needs', () => {
      expect(manifest.repository).toEqual({
        type: 'git',
        url: 'git+https://github.com/purelb/purelb-ts.git',
        directory: dir,
      });
      expect(manifest.sideEffects).toBe(false);
      expect(manifest.license).toBe('Apache-2.0');
      expect(manifest.engines?.node).toMatch(/^>=\d+/);
    });

    it('ships its README, LICENSE, every export target, and no tests', () => {
      expect(unbuilt.get(name)).toBeUndefined();
      const files = shipped();
      expect([...files].filter((f) => /\.test\.|\.int-fixture\.|(^|\/)fixtures?\//.test(f))).toEqual([]);
      for (const f of ['package.json', 'README.md', 'LICENSE']) expect(files).toContain(f);
      const targets = exportTargets(manifest.exports).map((t) => posix.normalize(t));
      expect(targets.length).toBeGreaterThan(0);
      expect(targets.filter((t) => !files.has(t))).toEqual([]);
    });

    it('ships no stale build output: every compiled file has its source', () => {
      expect(unbuilt.get(name)).toBeUndefined();
      const files = shipped();
      const compiledFiles = [...files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
      expect(compiledFiles.length).toBeGreaterThan(0);
      expect(compiledFiles.filter((f) => !files.has(f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')))).toEqual([]);
    });

    it('has source maps and declaration maps that point only at shipped files', () => {
      expect(unbuilt.get(name)).toBeUndefined();
      const files = shipped();
      const maps = [...files].filter((f) => f.endsWith('.map'));
      const dangling = maps.flatMap((map) => {
        const { sources } = JSON.parse(readFileSync(join(installed(), map), 'utf8')) as { sources: string[] };
        return sources.map((s) => posix.normalize(posix.join(posix.dirname(map), s))).filter((s) => !files.has(s));
      });
      expect(dangling).toEqual([]);
    });

    it.each(entryPoints(name, manifest.exports))('%s loads in plain Node and exports something', (spec) => {
      expect(unbuilt.get(name)).toBeUndefined();
      expect(runtimeExports[spec]?.error).toBeUndefined();
      expect(runtimeExports[spec]?.names?.length ?? 0).toBeGreaterThan(0);
    });
  });

  it.each(['nodenext', 'bundler'] as const)(
    'compile in a TypeScript consumer with moduleResolution %s, run-time exports exactly as declared',
    (resolution) => {
      expect(compiled?.[resolution].output).toBe('');
      expect(compiled?.[resolution].ok).toBe(true);
    },
  );

  it.each(scenarios)('%s: its consumer scenario runs from the nodenext build', (dir) => {
    expect(unbuilt.get(`@purelb/${dir}`)).toBeUndefined();
    const out = execFileSync(process.execPath, [join(app, 'dist', `${dir}.js`)], { cwd: app, encoding: 'utf8' });
    expect(out.trim()).toMatch(/^ok @purelb\//);
  });

  it('leaves nothing of the consumer in the workspace', () => {
    expect(dirname(app).startsWith(root)).toBe(false);
    expect(readdirSync(join(root, 'packages')).some((f) => f.endsWith('.tgz'))).toBe(false);
  });
});
