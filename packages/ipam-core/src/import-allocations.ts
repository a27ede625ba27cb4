// SPEC §4.7: existing allocations are taken as they are. Collisions and addresses outside every pool
// are reported as values; nothing is reassigned. Free intervals are rebuilt once at the end, so an
// import of n holdings costs O(n log n).
import type { ExistingAllocation, ImportIssue, ImportReport, PortSpec } from './allocation.ts';
import { entryValue, parseValue } from './family-space.ts';
import type { Value } from './family-space.ts';
import { entryOf, FAMILY_INDEXES, newRecord, setEntry } from './ipam-state.ts';
import type { IpamState } from './ipam-state.ts';
import { findSharingConflict } from './sharing-rule.ts';

const NO_PORTS: readonly PortSpec[] = [];

/** One value per family from the texts; malformed or second addresses become issues. */
function parseExisting(
  state: IpamState,
  item: ExistingAllocation,
  issues: ImportIssue[],
): [Value | undefined, Value | undefined] {
  const { key } = item;
  const values: [Value | undefined, Value | undefined] = [undefined, undefined];
  for (const text of item.addresses) {
    const parsed = parseValue(text);
    if ('error' in parsed) {
      issues.push({ code: 'MalformedAddress', key, address: text, message: `"${key}": ${parsed.error}` });
      continue;
    }
    const { fi, value } = parsed;
    const space = state.spaces[fi];
    const before = values[fi];
    if (before !== undefined && before !== value) {
      const message = `"${key}" lists a second ${space.family} address ${space.format(value)}`;
      issues.push({ code: 'MalformedAddress', key, address: space.format(value), message });
      continue;
    }
    values[fi] = value;
  }
  return values;
}

export function importAllocations(state: IpamState, existing: readonly ExistingAllocation[]): ImportReport {
  const issues: ImportIssue[] = [];
  let imported = 0;
  let touched = false;
  for (const item of existing) {
    const { key } = item;
    const values = parseExisting(state, item, issues);
    const sharing = item.sharingKey?.trim();
    let rec = state.keys.get(key);
    for (const fi of FAMILY_INDEXES) {
      const value = values[fi];
      if (value === undefined) continue;
      const space = state.spaces[fi];
      const mine = rec === undefined ? undefined : entryOf(rec, fi);
      if (mine !== undefined) {
        if (entryValue(mine) !== value) {
          const text = space.format(value);
          const message = `"${key}" already holds ${space.formatEntry(mine)}; ${text} was not imported`;
          issues.push({ code: 'AddressCollision', key, address: text, heldBy: key, message });
        }
        continue;
      }
      const pool = space.locate(value);
      // The group the holder names wins: it is the group the address was given from, whatever pool
      // holds it now (pool edits never move a holder); the pool decides only when none is named.
      const sharingKey = sharing === undefined || sharing === '' ? undefined : sharing;
      const candidate =
        rec ?? newRecord({ key, group: item.group ?? pool?.group, sharingKey, ports: item.ports ?? NO_PORTS });
      const entry = space.get(value);
      if (entry !== undefined) {
        const conflict = findSharingConflict(state, entry, candidate);
        if (conflict !== undefined) {
          const other = conflict.otherKey;
          const text = space.format(value);
          const message = `${text} of "${key}" is already held by "${other}"; it was not imported`;
          issues.push({ code: 'AddressCollision', key, address: text, heldBy: other, message });
          continue;
        }
        space.join(entry, key);
        setEntry(candidate, fi, entry);
      } else {
        candidate.group ??= pool?.group;
        setEntry(
          candidate,
          fi,
          space.hold(
            value,
            { user: key, group: candidate.group, sharingKey: candidate.sharingKey },
            { updateFree: false },
          ),
        );
        touched = true;
        if (pool === undefined) {
          const text = space.format(value);
          issues.push({
            code: 'AddressOutsidePool',
            key,
            address: text,
            message: `${text} of "${key}" is in no pool of a valid service group`,
          });
        }
      }
      if (rec === undefined) {
        rec = candidate;
        state.keys.set(key, rec);
      }
      imported++;
    }
  }
  if (touched) for (const space of state.spaces) space.rebuildFree();
  return { imported, issues };
}
