// The version the daemon reports: from its package.json, printed by --version and exported as
// purelb_build_info.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import { readVersion } from './read-version.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('the version', () => {
  it('is the package version', () => {
    expect(readVersion()).toBe(packageVersion);
    expect(packageVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is printed by --version, which needs no cluster', () => {
    const main = new URL('main.ts', import.meta.url).pathname;
    const out = execFileSync(process.execPath, ['--conditions=@purelb/source', main, '--version'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
      timeout: 30_000,
    });
    expect(out).toBe(`lbnodeagent ${packageVersion}\n`);
  });

  it('is exported as purelb_build_info with the component and the node', async () => {
    const metrics = createMetrics({ processMetrics: false, version: '9.8.7', node: 'node-a' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('purelb_build_info{version="9.8.7",component="lbnodeagent",node="node-a"} 1');
  });
});
