// `npm run typecheck` checks every TypeScript file of the workspace: sources, tests, benches, tools
// and the root's own scripts. Build configs leave tests out and Vitest only strips types, so a file
// that no tsconfig.json includes would never be type-checked at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

function tsFilesUnder(dir: string, recursive: boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && !['node_modules', 'dist', '.nx'].includes(entry.name)) found.push(...tsFilesUnder(path, true));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

function filesOf(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  return parsed?.fileNames ?? [];
}

const projects = ['packages', 'apps', 'tools'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json'))),
);

const rel = (paths: readonly string[]): string[] => paths.map((p) => relative(root, p)).sort();

describe('typecheck coverage', () => {
  it('finds the workspace projects', () => {
    expect(rel(projects)).toEqual(
      expect.arrayContaining(['packages/ipam-core', 'packages/k8s-watch', 'apps/allocator']),
    );
  });

  it.each(rel(projects))('%s: its typecheck script checks every .ts file of the project', (project) => {
    const dir = join(root, project);
    const scripts = (
      JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
    ).scripts;
    expect(scripts?.['typecheck']).toBe('tsc -p tsconfig.json --noEmit');
    const covered = new Set(filesOf(join(dir, 'tsconfig.json')));
    expect(rel(tsFilesUnder(dir, true).filter((f) => !covered.has(f)))).toEqual([]);
  });

  it("the root tsconfig.json checks the root's and tools/ own scripts", () => {
    const covered = new Set(filesOf(join(root, 'tsconfig.json')));
    const loose = [...tsFilesUnder(root, false), ...tsFilesUnder(join(root, 'tools'), false)];
    expect(loose.length).toBeGreaterThan(0);
    expect(rel(loose.filter((f) => !covered.has(f)))).toEqual([]);
  });
});
