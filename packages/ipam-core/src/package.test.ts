// The package as published: built with tsc, packed with npm, installed into a project outside the
// workspace (offline: it has no dependencies) and used from plain Node.
// eslint-disable-next-line no-restricted-imports -- this test runs tsc, npm and node; it is not library code
import { execFileSync } from 'node:child_process';
// eslint-disable-next-line no-restricted-imports -- the packaging test stages files in a temporary directory
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');
const root = join(packageDir, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ipam-core-pack-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const consumer = `
import { createIpam, validateServiceGroups } from '@purelb/ipam-core';
const ipam = createIpam(validateServiceGroups([{ name: 'default', createdAt: 0,
  spec: { local: { v4pools: [{ pool: '192.0.2.10-192.0.2.20', subnet: '192.0.2.0/24' }],
                   v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }] } } }]));
const r = ipam.allocate({ key: 'ns/web', ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
const stats = ipam.groupStats('default');
console.log(JSON.stringify({ r, available: stats.IPv6.available.toString() }));
`;

describe('@purelb/ipam-core as a package', () => {
  it('builds, packs, installs offline and allocates from plain Node', () => {
    const stage = join(work, 'stage');
    mkdirSync(stage);
    for (const f of ['package.json', 'README.md', 'LICENSE']) copyFileSync(join(packageDir, f), join(stage, f));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { stdio: 'pipe' });

    const npmEnv = { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
    execFileSync('npm', ['pack', '--pack-destination', work, stage], { cwd: work, env: npmEnv, stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^purelb-ipam-core-\d+\.\d+\.\d+\.tgz$/);
    const contents = execFileSync('tar', ['-tzf', join(work, tarball ?? '')], { encoding: 'utf8' }).split('\n');
    expect(contents).toContain('package/dist/index.js');
    expect(contents).toContain('package/dist/index.d.ts');
    expect(contents).toContain('package/README.md');
    expect(contents.filter((f) => f.includes('.test.'))).toEqual([]);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, tarball ?? '')], {
      cwd: app,
      env: npmEnv,
      stdio: 'pipe',
    });
    writeFileSync(join(app, 'main.js'), consumer);
    const out = execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      r: {
        ok: true,
        value: {
          key: 'ns/web',
          group: 'default',
          addresses: [
            { family: 'IPv4', address: '192.0.2.10' },
            { family: 'IPv6', address: '2001:db8::' },
          ],
          ports: [],
        },
        changed: true,
        released: [],
      },
      available: '18446744073709551615',
    });
  }, 60_000);
});
