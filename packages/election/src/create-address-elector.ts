// The winners of many addresses for one changing set of candidates, kept up to date incrementally:
// a node joining costs one hash per address in its subnets, a node leaving touches only the
// addresses where it ranks among the best few, and every update reports exactly which addresses
// changed owner. The answers are always those of `electWinner` on the same inputs.
import type { IpAddress } from '@purelb/ipam-core';
import type { Candidate, CandidateRecord } from './candidate.ts';
import { hasSubnetFor, isEligible, mergeCandidates, sameRecord } from './candidate.ts';
import { electAmong } from './elect-winner.ts';
import type { ElectionResult, InvalidAddressFailure } from './election.ts';
import { hashCandidate } from './hash-candidate.ts';
import type { RankedEntry } from './hash-candidate.ts';
import { parseElectionAddress } from './parse-election-address.ts';
import { emptyRankedList, insertRanked, needsRefill, rankedListHas, removeRanked } from './ranked-list.ts';
import type { RankedList } from './ranked-list.ts';

/** An address whose owner changed; `undefined` = nobody (not tracked, or no eligible node). */
export interface OwnerChange {
  /** Canonical text form. */
  readonly address: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** An address to track, with its preferred nodes (see `ElectionRequest.preferred`). */
export interface AddressEntry {
  readonly address: string;
  readonly preferred?: Iterable<string> | undefined;
}

export type AddressUpdate =
  | { readonly ok: true; readonly value: readonly OwnerChange[] }
  | { readonly ok: false; readonly error: InvalidAddressFailure };

export type AddressesUpdate =
  | { readonly ok: true; readonly value: readonly OwnerChange[] }
  | { readonly ok: false; readonly errors: readonly InvalidAddressFailure[] };

/** Winners of a set of addresses among one set of candidates. Every update returns the owner changes. */
export interface AddressElector {
  /** Replaces all candidates (names given twice merge as in `electWinner`). */
  setCandidates(candidates: Iterable<Candidate>): readonly OwnerChange[];
  /** Adds or replaces the candidate of that name: a join, a subnet change, going live or dead. */
  setCandidate(candidate: Candidate): readonly OwnerChange[];
  /** Removes the candidate of that name (a node leaving). */
  removeCandidate(name: string): readonly OwnerChange[];
  /** Replaces the tracked addresses; if any address is invalid, reports them all and changes nothing. */
  setAddresses(entries: Iterable<string | AddressEntry>): AddressesUpdate;
  /** Tracks an address, or replaces the preferred nodes of one already tracked. */
  addAddress(address: string, preferred?: Iterable<string>): AddressUpdate;
  /** Stops tracking an address (its owner becomes nobody). */
  removeAddress(address: string): AddressUpdate;
  /** The winner of a tracked address, `undefined` when it has none or is not tracked. */
  winnerOf(address: string): string | undefined;
  /** Every tracked address (canonical text) with its winner. */
  winners(): ReadonlyMap<string, string | undefined>;
  /** The full election of an address (ranking or reason) with the current candidates, from scratch. */
  electionOf(address: string): ElectionResult;
}

interface AddressState {
  readonly text: string;
  readonly address: IpAddress;
  preferred: ReadonlySet<string>;
  /** The best eligible nodes. */
  eligible: RankedList;
  /** The best eligible nodes of the preferred set. */
  favoured: RankedList;
  tracked: boolean;
}

const NO_PREFERENCE: ReadonlySet<string> = new Set();

const DEFAULT_RANK_DEPTH = 8;

const winnerOfState = (s: AddressState): string | undefined =>
  s.tracked ? (s.favoured.entries[0]?.node ?? s.eligible.entries[0]?.node) : undefined;

function toSet(names: Iterable<string> | undefined): ReadonlySet<string> {
  if (names === undefined) return NO_PREFERENCE;
  const set = new Set(names);
  return set.size === 0 ? NO_PREFERENCE : set;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function compareStates(a: AddressState, b: AddressState): number {
  if (a.address.family !== b.address.family) return a.address.family === 'IPv4' ? -1 : 1;
  return a.address.value < b.address.value ? -1 : a.address.value > b.address.value ? 1 : 0;
}

/** Tuning of an elector; the answers never depend on it. */
export interface AddressElectorOptions {
  /** How many of the best nodes each address keeps ranked (default 8): more = fewer rehashes, more memory. */
  readonly rankDepth?: number;
}

/** Creates an elector for the candidates (none by default) and no addresses. */
export function createAddressElector(
  candidates: Iterable<Candidate> = [],
  options: AddressElectorOptions = {},
): AddressElector {
  const depth = options.rankDepth ?? DEFAULT_RANK_DEPTH;
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`rank depth ${depth} is not a positive integer`);
  const records = new Map<string, CandidateRecord>();
  const states = new Map<string, AddressState>();
  /** Per node, the addresses where it is in a ranked list. */
  const index = new Map<string, Set<AddressState>>();
  /** Winners before the update in progress, of every address it touched. */
  let before = new Map<AddressState, string | undefined>();

  const touch = (s: AddressState): void => {
    if (!before.has(s)) before.set(s, winnerOfState(s));
  };

  function finish(): readonly OwnerChange[] {
    const changed = [...before].filter(([s, from]) => from !== winnerOfState(s)).map(([s]) => s);
    const changes = changed
      .sort(compareStates)
      .map((s) => ({ address: s.text, from: before.get(s), to: winnerOfState(s) }));
    before = new Map();
    return changes;
  }

  function indexAdd(node: string, s: AddressState): void {
    let set = index.get(node);
    if (set === undefined) index.set(node, (set = new Set()));
    set.add(s);
  }

  function indexDrop(node: string, s: AddressState): void {
    if (!rankedListHas(s.eligible, node) && !rankedListHas(s.favoured, node)) index.get(node)?.delete(s);
  }

  function insertInto(s: AddressState, list: RankedList, entry: RankedEntry): void {
    const r = insertRanked(list, entry, depth);
    if (r.kept) indexAdd(entry.node, s);
    if (r.evicted !== undefined) indexDrop(r.evicted.node, s);
  }

  /** The list of an address built from the whole scope: every eligible node, or the preferred ones. */
  function build(s: AddressState, favoured: boolean): RankedList {
    const list = emptyRankedList();
    const scope = favoured ? [...s.preferred].map((n) => records.get(n)) : records.values();
    for (const record of scope) {
      if (record === undefined || !isEligible(record, s.address)) continue;
      const known = favoured ? s.eligible.entries.find((e) => e.node === record.name) : undefined;
      insertRanked(list, known ?? { node: record.name, digest: hashCandidate(record.name, s.text) }, depth);
    }
    return list;
  }

  function rebuild(s: AddressState, favoured: boolean): void {
    const old = favoured ? s.favoured : s.eligible;
    const list = build(s, favoured);
    if (favoured) s.favoured = list;
    else s.eligible = list;
    for (const e of old.entries) indexDrop(e.node, s);
    for (const e of list.entries) indexAdd(e.node, s);
  }

  function applyRecord(name: string, record: CandidateRecord | undefined): void {
    const old = records.get(name);
    if (old !== undefined && record !== undefined && sameRecord(old, record)) return;
    if (record === undefined) records.delete(name);
    else records.set(name, record);
    // Out of every list it was in; lists emptied of their best entries are rebuilt.
    const listed = index.get(name);
    index.delete(name);
    for (const s of listed ?? []) {
      touch(s);
      removeRanked(s.eligible, name);
      removeRanked(s.favoured, name);
    }
    for (const s of listed ?? []) {
      if (needsRefill(s.eligible)) rebuild(s, false);
      if (needsRefill(s.favoured)) rebuild(s, true);
    }
    // Into the lists of every address it may now win: one hash per address.
    if (record === undefined || !record.live || record.subnets.length === 0) return;
    for (const s of states.values()) {
      if (!hasSubnetFor(record, s.address)) continue;
      const entry = { node: name, digest: hashCandidate(name, s.text) };
      touch(s);
      insertInto(s, s.eligible, entry);
      if (s.preferred.has(name)) insertInto(s, s.favoured, entry);
    }
  }

  function putAddress(text: string, address: IpAddress, preferred: ReadonlySet<string>): void {
    const existing = states.get(text);
    if (existing !== undefined) {
      if (sameSet(existing.preferred, preferred)) return;
      touch(existing);
      existing.preferred = preferred;
      rebuild(existing, true);
      return;
    }
    const s: AddressState = {
      text,
      address,
      preferred,
      eligible: emptyRankedList(),
      favoured: emptyRankedList(),
      tracked: true,
    };
    before.set(s, undefined);
    states.set(text, s);
    rebuild(s, false);
    rebuild(s, true);
  }

  function dropAddress(s: AddressState): void {
    touch(s);
    s.tracked = false;
    states.delete(s.text);
    for (const e of [...s.eligible.entries, ...s.favoured.entries]) index.get(e.node)?.delete(s);
  }

  function replaceCandidates(list: Iterable<Candidate>): readonly OwnerChange[] {
    const given = [...list];
    const next = mergeCandidates(given);
    const names = new Set([...records.keys(), ...next.keys()]);
    for (const name of names) applyRecord(name, next.get(name));
    return finish();
  }

  const elector: AddressElector = {
    setCandidates: replaceCandidates,
    setCandidate(candidate) {
      applyRecord(candidate.name, mergeCandidates([candidate]).get(candidate.name));
      return finish();
    },
    removeCandidate(name) {
      applyRecord(name, undefined);
      return finish();
    },
    setAddresses(entries) {
      const wanted = new Map<string, { address: IpAddress; preferred: Set<string> }>();
      const errors: InvalidAddressFailure[] = [];
      for (const entry of entries) {
        const { address, preferred } = typeof entry === 'string' ? { address: entry, preferred: undefined } : entry;
        const parsed = parseElectionAddress(address);
        if (!parsed.ok) {
          errors.push(parsed.error);
          continue;
        }
        const w = wanted.get(parsed.value.text) ?? { address: parsed.value.address, preferred: new Set<string>() };
        for (const n of preferred ?? []) w.preferred.add(n);
        wanted.set(parsed.value.text, w);
      }
      if (errors.length > 0) return { ok: false, errors };
      for (const s of [...states.values()]) if (!wanted.has(s.text)) dropAddress(s);
      for (const [text, w] of wanted) putAddress(text, w.address, toSet(w.preferred));
      return { ok: true, value: finish() };
    },
    addAddress(address, preferred) {
      const parsed = parseElectionAddress(address);
      if (!parsed.ok) return parsed;
      putAddress(parsed.value.text, parsed.value.address, toSet(preferred));
      return { ok: true, value: finish() };
    },
    removeAddress(address) {
      const parsed = parseElectionAddress(address);
      if (!parsed.ok) return parsed;
      const s = states.get(parsed.value.text);
      if (s !== undefined) dropAddress(s);
      return { ok: true, value: finish() };
    },
    winnerOf(address) {
      const parsed = parseElectionAddress(address);
      const s = parsed.ok ? states.get(parsed.value.text) : undefined;
      return s === undefined ? undefined : winnerOfState(s);
    },
    winners() {
      return new Map([...states.values()].map((s) => [s.text, winnerOfState(s)]));
    },
    electionOf(address) {
      // From the merged records, not the raw candidates: merging parses every subnet again, and
      // a daemon asks this of every address without a winner on every pass.
      const parsed = parseElectionAddress(address);
      if (!parsed.ok) return parsed;
      return electAmong(parsed.value, records, states.get(parsed.value.text)?.preferred);
    },
  };
  replaceCandidates(candidates);
  return elector;
}
