// Every lab on this machine, found from the lab directories (`<tmp>/purelb-lab-*`) and from the
// namespace names (`plab-*`): for `npm run lab -- status|down` and for tests that check nothing is
// left behind.
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyLabNow } from './destroy-lab.ts';
import { NAMESPACE_PREFIX } from './lab-plan.ts';
import { readState } from './lab-state.ts';
import { deleteNamespace, isAlive, listNamespaces } from './namespaces.ts';

export interface LabListing {
  /** Labs with a directory: their id, directory, owner and what of them exists now. */
  readonly labs: readonly {
    readonly id: string;
    readonly dir: string;
    /** 0 for a lab kept until `down`. */
    readonly ownerPid: number;
    readonly ownerAlive: boolean;
    readonly namespaces: readonly string[];
    readonly processes: readonly number[];
  }[];
  /** `plab-*` namespaces no lab directory accounts for (e.g. a lab whose directory was removed by hand). */
  readonly strayNamespaces: readonly string[];
}

const DIR_PREFIX = 'purelb-lab-';

function labDirs(tmpRoot: string): string[] {
  if (!existsSync(tmpRoot)) return [];
  return readdirSync(tmpRoot)
    .filter((name) => name.startsWith(DIR_PREFIX))
    .map((name) => join(tmpRoot, name));
}

/** What labs exist now. */
export function listLabs(tmpRoot: string = tmpdir()): LabListing {
  const existing = new Set(listNamespaces().filter((ns) => ns.startsWith(NAMESPACE_PREFIX)));
  const labs: LabListing['labs'][number][] = [];
  for (const dir of labDirs(tmpRoot)) {
    const state = readState(dir);
    if (state === undefined) continue;
    const namespaces = state.namespaces.filter((ns) => existing.has(ns));
    for (const ns of state.namespaces) existing.delete(ns);
    labs.push({
      id: state.id,
      dir,
      ownerPid: state.ownerPid,
      ownerAlive: isAlive(state.ownerPid),
      namespaces,
      processes: state.processes.filter((p) => isAlive(p.pid)).map((p) => p.pid),
    });
  }
  return { labs, strayNamespaces: [...existing].sort() };
}

/**
 * Destroys every lab (or only lab `id`) with its directory, then deletes the stray `plab-*`
 * namespaces (those starting with `plab-<id>-` when `id` is given). Returns what it removed.
 */
export function destroyLabs(options: { readonly id?: string; readonly tmpRoot?: string } = {}): LabListing {
  const before = listLabs(options.tmpRoot);
  const labs = before.labs.filter((lab) => options.id === undefined || lab.id === options.id);
  for (const lab of labs) destroyLabNow(lab.dir);
  const strayPrefix = options.id === undefined ? NAMESPACE_PREFIX : `${NAMESPACE_PREFIX}${options.id}-`;
  const strays = before.strayNamespaces.filter((ns) => ns.startsWith(strayPrefix));
  for (const ns of strays) deleteNamespace(ns);
  return { labs, strayNamespaces: strays };
}
