// Tearing a lab down from its directory alone, synchronously: usable from an exit handler, from the
// watchdog after the owner died, and from `npm run lab -- down`.
import { rmSync } from 'node:fs';
import { readState } from './lab-state.ts';
import { deleteNamespace, killIfRunning } from './namespaces.ts';

/**
 * Kills the lab's processes outside its namespaces (the relay first: it holds sockets inside them),
 * kills every process inside its namespaces, deletes the namespaces and removes `dir`. Returns the
 * PIDs it killed (they may take a moment to disappear).
 */
export function destroyLabNow(dir: string): number[] {
  const killed: number[] = [];
  const state = readState(dir);
  if (state !== undefined) {
    for (const record of state.processes) if (killIfRunning(record)) killed.push(record.pid);
    for (const ns of state.namespaces) killed.push(...deleteNamespace(ns));
  }
  rmSync(dir, { recursive: true, force: true });
  return killed;
}
