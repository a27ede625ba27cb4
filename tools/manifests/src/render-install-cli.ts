// `npm run render-install`: writes deploy/install.yaml and the chart's copies of the CRDs and of
// deploy/monitoring from their sources. `--check` writes nothing and exits 1 naming every file that is out of date.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { generatedDirectories, renderGenerated, staleFiles, strayFiles } from './render-install.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const check = process.argv.includes('--check');
const generated = renderGenerated(root);
const stray = generatedDirectories(root).flatMap(({ dir, files }) => strayFiles(dir, files));
const stale = staleFiles(generated);
const show = (p: string): string => relative(root, p);

if (check) {
  for (const p of stale) console.log(`out of date: ${show(p)}`);
  for (const p of stray) console.log(`no longer generated: ${show(p)}`);
  if (stale.length + stray.length > 0) {
    console.log('run `npm run render-install`');
    process.exit(1);
  }
  console.log('generated files are up to date');
} else {
  for (const g of generated.filter((f) => stale.includes(f.path))) {
    mkdirSync(dirname(g.path), { recursive: true });
    writeFileSync(g.path, g.text);
    console.log(`wrote ${show(g.path)}`);
  }
  for (const p of stray) {
    rmSync(p);
    console.log(`removed ${show(p)}`);
  }
  if (stale.length + stray.length === 0) console.log('generated files are up to date');
}
