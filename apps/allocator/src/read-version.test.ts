// The version the daemon reports: its package version, exported as purelb_build_info (`--version`
// of every daemon is run by tools/manifests, which holds all versions of a release together).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import { readVersion } from './read-version.ts';

it('reads the package version and exports it as purelb_build_info with the component and the node', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(readVersion()).toBe(pkg.version);
  const text = await createMetrics({
    processMetrics: false,
    build: { version: '9.8.7', node: 'node-a' },
  }).registry.metrics();
  expect(text).toContain('purelb_build_info{version="9.8.7",component="allocator",node="node-a"} 1');
});
