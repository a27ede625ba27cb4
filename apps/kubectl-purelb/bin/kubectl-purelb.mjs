#!/usr/bin/env node
// kubectl-purelb's launcher. kubectl finds it on PATH as `kubectl-purelb`; whatever `node` runs it,
// the plugin itself needs Node.js 24 or later. This file is written for any Node.js still in use, so
// that an older one can say so (or find a newer one) instead of failing on syntax it cannot read.
//
// A Node.js 24 or later is looked for in this order: the one running this file; PURELB_NODE; the
// `node` npm package of an enclosing node_modules (as in PureLB's own workspace); every `node` on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIN_MAJOR = 24;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'cli.js');
const source = path.join(root, 'src', 'cli.ts');

function major(version) {
  const m = /^v?(\d+)\./.exec(String(version).trim());
  return m === null ? 0 : Number(m[1]);
}

function versionOf(node) {
  const r = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10000 });
  return r.status === 0 ? String(r.stdout).trim() : '';
}

function candidates() {
  const out = [];
  if (process.env.PURELB_NODE) out.push(process.env.PURELB_NODE);
  let dir = root;
  for (let i = 0; i < 6; i++) {
    out.push(path.join(dir, 'node_modules', 'node', 'bin', 'node'));
    out.push(path.join(dir, 'node_modules', '.bin', 'node'));
    dir = path.dirname(dir);
  }
  for (const entry of (process.env.PATH || '').split(path.delimiter)) if (entry) out.push(path.join(entry, 'node'));
  return out.filter((p, i) => out.indexOf(p) === i && existsSync(p));
}

/** How to run the plugin on another `node`: the built JavaScript, else the TypeScript source (a checkout). */
function entry() {
  if (existsSync(built)) return [built];
  return ['--conditions=@purelb/source', source];
}

function fail(message) {
  process.stderr.write(message);
  process.exit(1);
}

if (major(process.version) >= MIN_MAJOR && existsSync(built)) {
  import(pathToFileURL(built).href).catch((error) => {
    process.stderr.write(`kubectl-purelb: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(70);
  });
} else {
  let node;
  if (major(process.version) >= MIN_MAJOR) node = process.execPath;
  else node = candidates().find((c) => major(versionOf(c)) >= MIN_MAJOR);
  if (node === undefined) {
    fail(
      `kubectl-purelb needs Node.js ${MIN_MAJOR} or later, and this is Node.js ${process.version} (${process.execPath}).\n` +
        `Install Node.js ${MIN_MAJOR} (https://nodejs.org), or set PURELB_NODE to the path of its node binary.\n`,
    );
  }
  const r = spawnSync(node, [...entry(), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.error) fail(`kubectl-purelb: cannot run ${node}: ${r.error.message}\n`);
  process.exit(r.status === null ? 1 : r.status);
}
