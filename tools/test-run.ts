// Runs the whole Vitest suite once and ends with the plain line `N passed, N failed`.
// Extra arguments are handed to Vitest (e.g. `npm test -- --project unit`); it runs from the
// workspace root, so a project's own `test` script is this command with its folder as the filter.
// When the integration tests would run but no control plane can be had (no binaries cached, no Go to
// build them), the other projects still run, and one line says what is missing; it counts as a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);

/** Whether the arguments may select integration tests (`--project` filters, then file filters). */
function selectsIntegration(): boolean {
  const projects = args.flatMap((a, i) =>
    a === '--project' ? [args[i + 1] ?? ''] : a.startsWith('--project=') ? [a.slice(10)] : [],
  );
  const wildcard = (p: string): RegExp =>
    new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
  const positive = projects.filter((p) => !p.startsWith('!'));
  if (projects.some((p) => p.startsWith('!') && wildcard(p.slice(1)).test('integration'))) return false;
  if (positive.length > 0 && !positive.some((p) => wildcard(p).test('integration'))) return false;
  const words = args.filter((a) => !a.startsWith('-')).map((a) => a.replace(/:\d+$/, ''));
  if (words.length === 0) return true;
  const sources = ['packages', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(root, group)).map((p) => join(root, group, p, 'src')),
  );
  const files = sources
    .filter((src) => existsSync(src))
    .flatMap((src) => readdirSync(src, { recursive: true, encoding: 'utf8' }).map((f) => join(src, f)))
    .filter((f) => f.endsWith('.int.test.ts'));
  return files.some((f) => words.some((w) => f.includes(w)));
}

/** Why no control plane can be had, or undefined when one can (cached, given, or Go to build it). */
function controlPlaneMissing(): string | undefined {
  if ((process.env['PURELB_CONTROL_PLANE_BIN'] ?? '') !== '' || !selectsIntegration()) return undefined;
  const check = spawnSync('bash', [join(root, 'tools', 'control-plane', 'build.sh'), '--check'], { encoding: 'utf8' });
  if (check.status === 0) return undefined;
  const why = check.stderr
    .trim()
    .split('\n')
    .at(-1)
    ?.replace(/^\[control-plane\] /, '');
  return why === undefined || why === '' ? 'tools/control-plane/build.sh --check failed' : why;
}

const missing = controlPlaneMissing();
const dir = mkdtempSync(join(tmpdir(), 'purelb-test-'));
const report = join(dir, 'report.json');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...(missing === undefined ? [] : ['--project', '!integration']),
    ...args,
  ],
  { stdio: 'inherit', cwd: root },
);

let counts: JsonReport | undefined;
try {
  counts = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
} catch {
  counts = undefined;
}
rmSync(dir, { recursive: true, force: true });

if (missing !== undefined) console.log(`integration tests not run: ${missing}`);
if (counts === undefined) {
  console.log('0 passed, 1 failed');
  console.error('the test runner wrote no report');
  process.exit(run.status === 0 ? 1 : (run.status ?? 1));
}
const skipped = counts.numPendingTests + counts.numTodoTests;
const failed = counts.numFailedTests + (missing === undefined ? 0 : 1);
console.log(`${counts.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(missing === undefined ? (run.status ?? 1) : 1);
