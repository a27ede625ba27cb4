// The Nx view of the workspace is true: `nx run <project>:test` runs that project's tests only, and
// `nx affected` knows that a change under deploy/ (the CRDs every integration test loads) affects the
// projects whose tests use it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NO_COLOR: '1' };

interface Project {
  readonly dir: string;
  readonly name: string;
  readonly testScript: string | undefined;
  readonly testFiles: readonly string[];
  readonly dependsOn: readonly string[];
}

const projects: Project[] = ['packages', 'apps', 'tools'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(group, name))
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
        name: string;
        scripts?: Record<string, string>;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const src = join(root, dir, 'src');
      const files = existsSync(src) ? readdirSync(src, { recursive: true, encoding: 'utf8' }) : [];
      return {
        dir,
        name: pkg.name,
        testScript: pkg.scripts?.['test'],
        testFiles: files.filter((f) => f.endsWith('.test.ts')),
        dependsOn: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }),
      };
    }),
);

function nx(...args: string[]): string {
  const bin = realpathSync(join(root, 'node_modules', '.bin', 'nx'));
  return execFileSync(process.execPath, [bin, ...args], { cwd: root, env, encoding: 'utf8' });
}

// Each test spawns Nx or Vitest: seconds on a busy machine.
describe('nx targets', { timeout: 60_000 }, () => {
  it.each(projects.filter((p) => p.testFiles.length > 0).map((p) => [p.dir, p] as const))(
    '%s: its test target runs the test command on its own folder',
    (dir, project) => {
      expect(project.testScript).toBe(`node ../../tools/test-run.ts ${dir}/`);
    },
  );

  it("the folder filter selects that project's test files and no other", () => {
    const listed = execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'list', '--filesOnly', 'packages/ipam-core/', '--json'],
      {
        cwd: root,
        env: { ...env, VITEST: undefined, VITEST_MODE: undefined },
        encoding: 'utf8',
      },
    );
    const files = (JSON.parse(listed) as { file: string }[]).map((f) => relative(root, f.file));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !f.startsWith('packages/ipam-core/'))).toEqual([]);
  });

  it('a change under deploy/crds affects every project whose integration tests load the CRDs', () => {
    const affected = nx(
      'show',
      'projects',
      '--affected',
      '--files',
      'deploy/crds/servicegroups.purelb.io.yaml',
      '--json',
    );
    const names = JSON.parse(affected) as string[];
    // The control plane of the integration tests applies deploy/crds.
    const controlPlane = '@purelb/test-control-plane';
    const loadCrds = projects
      .filter(
        (p) =>
          p.name === controlPlane ||
          (p.dependsOn.includes(controlPlane) && p.testFiles.some((f) => f.endsWith('.int.test.ts'))),
      )
      .map((p) => p.name);
    expect(loadCrds).toEqual(expect.arrayContaining([controlPlane, '@purelb/k8s-watch', '@purelb/allocator']));
    expect(names).toEqual(expect.arrayContaining(['deploy', ...loadCrds]));
    expect(names).not.toContain('@purelb/ipam-core');
  });
});
