// Requested addresses (`purelb.io/addresses`, `spec.loadBalancerIP`): parsed to one value per
// family, and the valid group whose pools hold them.
import { boundText } from './bound-text.ts';
import { parseAddress } from './address.ts';
import type { AllocationError } from './allocation.ts';
import { entryValue } from './family-space.ts';
import type { Value } from './family-space.ts';
import { entryOf, FAMILY_INDEXES, familyIndex } from './ipam-state.ts';
import type { GroupState, IpamState, KeyRecord } from './ipam-state.ts';

export interface Requested {
  readonly values: readonly [Value | undefined, Value | undefined];
  /** The group holding the requested addresses (undefined when none decides). */
  readonly group: string | undefined;
}

export const invalidAnnotation = (message: string): AllocationError => ({ code: 'InvalidAnnotation', message });

export function groupError(name: string, gs: GroupState | undefined): AllocationError {
  if (gs === undefined)
    return { code: 'GroupNotFound', group: name, message: `service group ${boundText(name)} does not exist` };
  const why = gs.check.ok ? '' : ` (${gs.check.code})`;
  return { code: 'GroupInvalid', group: name, message: `service group ${boundText(name)} is invalid${why}` };
}

/**
 * Parses the texts (one address per family) and finds their group. An address in no valid pool is
 * accepted only when the key already holds it (kept even outside every pool); when no requested
 * address lies in a pool, such a held address keeps the group the key holds it from.
 */
export function resolveRequested(
  state: IpamState,
  texts: readonly string[],
  holder: { readonly rec: KeyRecord | undefined; readonly namedGroup: string | undefined },
): Requested | AllocationError {
  const { rec, namedGroup } = holder;
  const values: [Value | undefined, Value | undefined] = [undefined, undefined];
  for (const text of texts) {
    const parsed = parseAddress(text);
    if (!parsed.ok) return invalidAnnotation(`requested address ${parsed.error.message}`);
    const fi = familyIndex(parsed.value.family);
    const space = state.spaces[fi];
    const value = space.toValue(parsed.value.value);
    const before = values[fi];
    if (before !== undefined && before !== value) {
      return invalidAnnotation(
        `more than one ${parsed.value.family} address requested (${space.format(before)}, ${space.format(value)})`,
      );
    }
    values[fi] = value;
  }
  let group: string | undefined;
  let groupAddress = '';
  let heldOutside = false;
  for (const fi of FAMILY_INDEXES) {
    const v = values[fi];
    if (v === undefined) continue;
    const space = state.spaces[fi];
    const pool = space.locate(v);
    const text = space.format(v);
    if (pool === undefined) {
      const own = rec === undefined ? undefined : entryOf(rec, fi);
      if (own !== undefined && entryValue(own) === v) {
        heldOutside = true;
        continue;
      }
      const named = namedGroup === undefined ? undefined : state.groups.get(namedGroup);
      if (named !== undefined && !named.check.ok) return groupError(named.check.name, named);
      return {
        code: 'AddressNotInPool',
        address: text,
        message: `address ${text} is not in any pool of a valid service group`,
      };
    }
    if (group !== undefined && group !== pool.group) {
      return invalidAnnotation(
        `requested addresses ${groupAddress} and ${text} are in different service groups ("${group}", "${pool.group}")`,
      );
    }
    group = pool.group;
    groupAddress = text;
  }
  return { values, group: group ?? (heldOutside ? rec?.group : undefined) };
}
