// npm installs the packed plugin and puts `kubectl-purelb` on PATH, where kubectl finds it. Offline,
// as every packaging test here: the packed plugin and the workspace packages it needs are installed
// by `npm ci --offline` (their third-party dependencies from the npm cache, at the workspace lock's
// versions), then `npm install -g` of that installed package links the command into a global prefix.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { consumerProject } from '@purelb/workspace-checks/consumer-lockfile';
import type { PackedPackage, WorkspaceLock } from '@purelb/workspace-checks/consumer-lockfile';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'purelb-npm-install-'));
const DIRS = {
  '@purelb/ipam-core': 'packages/ipam-core',
  '@purelb/election': 'packages/election',
  '@purelb/k8s-watch': 'packages/k8s-watch',
  '@purelb/kubectl-purelb': 'apps/kubectl-purelb',
} as const;
const names = Object.keys(DIRS) as (keyof typeof DIRS)[];
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  npm_config_update_notifier: 'false',
};
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function run(path: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('kubectl-purelb', ['version', '--kubeconfig', join(work, 'none')], {
    env: { PATH: path, HOME: work },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm install -g', () => {
  it('puts kubectl-purelb on PATH; it runs the built files on Node.js 24, or says that Node.js 24 is needed', () => {
    const nx = realpathSync(join(root, 'node_modules', '.bin', 'nx'));
    execFileSync(process.execPath, [nx, 'run-many', '-t', 'build', '-p', ...names, '--output-style=static'], {
      cwd: root,
      env,
      stdio: 'pipe',
    });
    const app = join(work, 'app');
    mkdirSync(join(app, 'tarballs'), { recursive: true });
    const packedOut = npm(
      [
        'pack',
        '--json',
        '--ignore-scripts',
        '--pack-destination',
        join(app, 'tarballs'),
        ...names.flatMap((n) => ['-w', n]),
      ],
      root,
    );
    const packed = JSON.parse(packedOut) as {
      name: keyof typeof DIRS;
      version: string;
      filename: string;
      integrity: string;
    }[];
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as WorkspaceLock;
    const consumer = consumerProject(
      lock,
      packed.map((t): PackedPackage => {
        const dir = DIRS[t.name];
        const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
          dependencies?: Record<string, string>;
        };
        return {
          name: t.name,
          version: t.version,
          dir,
          tarball: `tarballs/${t.filename}`,
          integrity: t.integrity,
          dependencies: manifest.dependencies ?? {},
        };
      }),
      { registry: npm(['config', 'get', 'registry'], root).trim() },
    );
    writeFileSync(join(app, 'package.json'), JSON.stringify(consumer.manifest, null, 2));
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumer.lock, null, 2));
    npm(['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
    const installed = join(app, 'node_modules', '@purelb', 'kubectl-purelb');
    expect(existsSync(join(installed, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);

    const prefix = join(work, 'prefix');
    npm(
      ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', installed],
      work,
    );
    expect(existsSync(join(prefix, 'bin', 'kubectl-purelb'))).toBe(true);

    // As kubectl runs a plugin: found on PATH by its name, run by the `node` PATH gives.
    const withNode24 = run([join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter));
    expect(withNode24.err).toBe('');
    expect(withNode24.out).toMatch(
      new RegExp(
        `^kubectl-purelb 0\\.1\\.0 \\(Node\\.js ${process.versions.node}\\)\\ncluster: cannot use the kubeconfig`,
      ),
    );
    // Only the machine's own, older Node.js on PATH (when it has one): the launcher says what it needs.
    const old = ['/usr/bin/node', '/bin/node'].find((p) => existsSync(p));
    const oldMajor =
      old === undefined
        ? 99
        : Number(execFileSync(old, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }));
    if (oldMajor < 24) {
      const withOld = run([join(prefix, 'bin'), '/usr/bin', '/bin'].join(delimiter));
      expect(withOld.code).toBe(1);
      expect(withOld.err).toContain('kubectl-purelb needs Node.js 24 or later');
    }
  }, 300_000);
});
