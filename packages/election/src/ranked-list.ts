// The best few nodes of one address, kept so that a node leaving rarely needs any hashing: the
// next best is already known. A list either holds every node of its scope (`complete`), or its
// best `entries.length` of them, every other node of the scope ranking after all of them.
import { compareRanked } from './hash-candidate.ts';
import type { RankedEntry } from './hash-candidate.ts';

export interface RankedList {
  /**
   * Replaced, never grown in place: an array grown by push or splice keeps room for 17 entries,
   * and an elector keeps two lists per address.
   */
  entries: readonly RankedEntry[];
  complete: boolean;
}

/** An empty list of a scope known to be empty. */
export function emptyRankedList(): RankedList {
  return { entries: [], complete: true };
}

/** Whether the node is in the list. */
export function rankedListHas(list: RankedList, node: string): boolean {
  return list.entries.some((e) => e.node === node);
}

/** What an insertion did: whether the entry is now in the list, and who fell off its end. */
export interface Insertion {
  readonly kept: boolean;
  readonly evicted: RankedEntry | undefined;
}

const NOT_KEPT: Insertion = { kept: false, evicted: undefined };
const KEPT: Insertion = { kept: true, evicted: undefined };

/**
 * Adds a node that joined the list's scope, keeping at most `depth` entries. The list must not be
 * an empty incomplete one (its bound would be lost); a node already listed is left as it is.
 */
export function insertRanked(list: RankedList, entry: RankedEntry, depth: number): Insertion {
  const { entries } = list;
  if (rankedListHas(list, entry.node)) return KEPT;
  let at = entries.length;
  while (at > 0 && compareRanked(entry, entries[at - 1] as RankedEntry) < 0) at--;
  if (at === entries.length && !list.complete) return NOT_KEPT;
  const grown = entries.toSpliced(at, 0, entry);
  if (grown.length <= depth) {
    list.entries = grown;
    return KEPT;
  }
  list.complete = false;
  const evicted = grown[depth] as RankedEntry;
  list.entries = grown.slice(0, depth);
  return evicted === entry ? NOT_KEPT : { kept: true, evicted };
}

/** Removes a node that left the list's scope; true when it was listed. */
export function removeRanked(list: RankedList, node: string): boolean {
  const at = list.entries.findIndex((e) => e.node === node);
  if (at < 0) return false;
  list.entries = list.entries.toSpliced(at, 1);
  return true;
}

/** Whether the list lost its best entries and must be rebuilt from the whole scope. */
export function needsRefill(list: RankedList): boolean {
  return list.entries.length === 0 && !list.complete;
}
