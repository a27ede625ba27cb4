// What a lab owns, on disk (`<dir>/state.json`), so that whoever tears it down (the owner, its exit
// handler, the watchdog, `npm run lab -- down`) finds everything: the namespaces (whose processes
// are found by `ip netns pids`) and the processes outside them (the API server relay).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabProcessRecord {
  readonly pid: number;
  /** `/proc/<pid>/cmdline`'s first word when it started, to recognise it later. */
  readonly argv0: string;
  readonly role: string;
}

export interface LabState {
  readonly id: string;
  /** The process whose end destroys the lab; 0 for a lab kept until `npm run lab -- down`. */
  readonly ownerPid: number;
  readonly namespaces: readonly string[];
  readonly processes: readonly LabProcessRecord[];
}

export const statePath = (dir: string): string => join(dir, 'state.json');

export function writeState(dir: string, state: LabState): void {
  const path = statePath(dir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The state in `text`, or `undefined` when it is not a lab state. */
export function parseState(text: string): LabState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const { id, ownerPid, namespaces, processes } = raw;
  if (typeof id !== 'string' || typeof ownerPid !== 'number') return undefined;
  if (!Array.isArray(namespaces) || !namespaces.every((ns) => typeof ns === 'string')) return undefined;
  if (!Array.isArray(processes)) return undefined;
  const records: LabProcessRecord[] = [];
  for (const p of processes as unknown[]) {
    if (!isRecord(p) || typeof p['pid'] !== 'number' || typeof p['argv0'] !== 'string') return undefined;
    records.push({ pid: p['pid'], argv0: p['argv0'], role: typeof p['role'] === 'string' ? p['role'] : '' });
  }
  return { id, ownerPid, namespaces, processes: records };
}

/** The state of the lab in `dir`, or `undefined` when there is none (removed, or never written). */
export function readState(dir: string): LabState | undefined {
  const path = statePath(dir);
  if (!existsSync(path)) return undefined;
  try {
    return parseState(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
