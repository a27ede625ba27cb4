// SPEC §4.7: existing allocations are taken as they are. Collisions and addresses outside every pool
// are reported as values; nothing is reassigned. Free intervals are rebuilt once at the end, so an
// import of n holdings costs O(n log n).
import { parseAddress } from './address.ts';
import type { ExistingAllocation, ImportIssue, ImportReport } from './allocation.ts';
import type { Value } from './family-space.ts';
import { familyIndex, findPortCollision } from './ipam-state.ts';
import type { IpamState, KeyRecord } from './ipam-state.ts';

function sharingConflict(state: IpamState, users: readonly string[], entrySharingKey: string | undefined, rec: KeyRecord): string | undefined {
  for (const other of users) {
    if (other === rec.key) continue;
    if (rec.sharingKey === undefined || entrySharingKey !== rec.sharingKey) return other;
    if (findPortCollision(rec.ports, state.keys.get(other)?.ports ?? []) !== undefined) return other;
  }
  return undefined;
}

export function importAllocations(state: IpamState, existing: readonly ExistingAllocation[]): ImportReport {
  const issues: ImportIssue[] = [];
  let imported = 0;
  let touched = false;
  for (const item of existing) {
    const { key } = item;
    const values: [Value | undefined, Value | undefined] = [undefined, undefined];
    for (const text of item.addresses) {
      const parsed = parseAddress(text);
      if (!parsed.ok) {
        issues.push({ kind: 'MalformedAddress', key, address: text, message: `"${key}": ${parsed.error}` });
        continue;
      }
      const fi = familyIndex(parsed.value.family);
      const value = state.spaces[fi].toValue(parsed.value.value);
      const before = values[fi];
      if (before !== undefined && before !== value) {
        const f = parsed.value.family;
        issues.push({ kind: 'MalformedAddress', key, address: text.trim(), message: `"${key}" lists a second ${f} address ${state.spaces[fi].format(value)}` });
        continue;
      }
      values[fi] = value;
    }
    const sharing = item.sharingKey?.trim();
    let rec = state.keys.get(key);
    for (const fi of [0, 1] as const) {
      const value = values[fi];
      if (value === undefined) continue;
      const space = state.spaces[fi];
      const text = space.format(value);
      const mine = rec?.entries[fi];
      if (mine !== undefined) {
        if (mine.value !== value) {
          issues.push({ kind: 'AddressCollision', key, address: text, heldBy: key, message: `"${key}" already holds ${mine.text}; ${text} was not imported` });
        }
        continue;
      }
      const pool = space.locate(value);
      const candidate: KeyRecord = rec ?? {
        key,
        group: pool?.group ?? item.group,
        sharingKey: sharing === undefined || sharing === '' ? undefined : sharing,
        ports: item.ports ?? [],
        entries: [undefined, undefined],
      };
      const entry = space.held.get(value);
      if (entry !== undefined) {
        const other = sharingConflict(state, entry.users, entry.sharingKey, candidate);
        if (other !== undefined) {
          issues.push({ kind: 'AddressCollision', key, address: text, heldBy: other, message: `${text} of "${key}" is already held by "${other}"; it was not imported` });
          continue;
        }
        space.join(entry, key);
        candidate.entries[fi] = entry;
      } else {
        candidate.group ??= pool?.group;
        candidate.entries[fi] = space.hold(value, key, pool?.group ?? candidate.group, candidate.sharingKey, false);
        touched = true;
        if (pool === undefined) {
          issues.push({ kind: 'AddressOutsidePool', key, address: text, message: `${text} of "${key}" is in no pool of a valid service group` });
        }
      }
      if (rec === undefined) {
        rec = candidate;
        state.keys.set(key, rec);
      }
      imported++;
    }
  }
  if (touched) for (const space of state.spaces) space.rebuild();
  return { imported, issues };
}
