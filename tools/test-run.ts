// Runs the whole Vitest suite once and ends with the plain line `N passed, N failed`.
// Extra arguments are handed to Vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const dir = mkdtempSync(join(tmpdir(), 'purelb-test-'));
const report = join(dir, 'report.json');
const vitest = join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let counts: JsonReport | undefined;
try {
  counts = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
} catch {
  counts = undefined;
}
rmSync(dir, { recursive: true, force: true });

if (counts === undefined) {
  console.log('0 passed, 1 failed');
  console.error('the test runner wrote no report');
  process.exit(run.status === 0 ? 1 : (run.status ?? 1));
}
const skipped = counts.numPendingTests + counts.numTodoTests;
console.log(`${counts.numPassedTests} passed, ${counts.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(run.status ?? 1);
