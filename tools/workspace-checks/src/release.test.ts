// Releases go through Changesets: only the publishable packages (the libraries under packages/ and
// the applications under apps/ that are not private, the kubectl plugin) are versioned and
// published, each with a generated CHANGELOG, and the pending changesets name nothing else.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages } from './packaging/publishable-packages.ts';

const root = join(import.meta.dirname, '..', '..', '..');
/** Applications published like the libraries: a package under apps/ that is not private (the kubectl plugin). */
const publicApps = readdirSync(join(root, 'apps'))
  .map((name) => join('apps', name))
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; private?: boolean },
  }))
  .filter((p) => p.manifest.private !== true);
const released = [...publishablePackages(root), ...publicApps];
const publishable = released.map((p) => p.manifest.name);

describe('release', { timeout: 60_000 }, () => {
  it('versions and publishes the public packages only, with generated changelogs', () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      changelog: '@changesets/cli/changelog',
      access: 'public',
      baseBranch: 'main',
      privatePackages: { version: false, tag: false },
    });
  });

  it('has pending changesets that name publishable packages only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'purelb-release-'));
    try {
      const output = join(dir, 'status.json');
      const bin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
      execFileSync(process.execPath, [bin, 'status', `--output=${relative(root, output)}`], {
        cwd: root,
        stdio: 'pipe',
      });
      const status = JSON.parse(readFileSync(output, 'utf8')) as { releases: { name: string; type: string }[] };
      // Private dependents are listed with type `none`: their dependency ranges follow, their versions do not.
      const released = status.releases.filter((r) => r.type !== 'none').map((r) => r.name);
      expect(released.length).toBeGreaterThan(0);
      expect(released.filter((n) => !publishable.includes(n))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(publishable)('%s: its README says that closed unions may grow in a minor release', (name) => {
    const dir = released.find((p) => p.manifest.name === name)?.dir ?? '';
    const readme = readFileSync(join(root, dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/closed\s+unions?\s+may\s+grow\s+in\s+a\s+minor\s+release/i);
  });
});
