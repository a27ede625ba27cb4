// kubectl-purelb: wiring only. Arguments → command → output and exit status.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter } from 'node:path';
import { text } from 'node:stream/consumers';
import { fetchImages, fetchSnapshot, loadAccess } from './cluster-snapshot.ts';
import { parseArgs, usage } from './parse-args.ts';
import { runCommand } from './run-command.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const parsed = parseArgs(process.argv.slice(2), { env: process.env, homedir: homedir(), delimiter });
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`kubectl-purelb: ${e.message}\n`);
  process.stderr.write(`\n${usage}\n`);
  process.exit(2);
}
if (parsed.value.kind === 'help') {
  process.stdout.write(`${parsed.value.text}\n`);
  process.exit(0);
}
const result = await runCommand(parsed.value.command, parsed.value.options, {
  loadAccess,
  fetchSnapshot,
  fetchImages,
  readText: (file) => (file === '-' ? text(process.stdin) : readFile(file, 'utf8')),
  now: Date.now,
  version,
  nodeVersion: process.versions.node,
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
// Kept-alive connections would hold the process open.
process.exit(result.code);
