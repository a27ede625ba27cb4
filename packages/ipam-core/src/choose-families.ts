// SPEC §4.1: which families a request gets, from its ipFamilies, its policy and the group's pools.
import type { IpFamily } from './address.ts';
import type { IpFamilyPolicy } from './allocation.ts';

export type FamilyChoice =
  | { readonly ok: true; readonly families: readonly IpFamily[] }
  | { readonly ok: false; readonly missing: IpFamily };

const BOTH: readonly IpFamily[] = ['IPv4', 'IPv6'];

/**
 * SingleStack → the first listed family; PreferDualStack → the listed families the group has;
 * RequireDualStack → both families (listed order first). An empty list means "IPv4 then IPv6" (or the
 * families of the requested addresses), and SingleStack then takes the first of them the group has.
 */
export function chooseFamilies(
  policy: IpFamilyPolicy,
  ipFamilies: readonly IpFamily[],
  requested: readonly IpFamily[],
  groupHas: (family: IpFamily) => boolean,
): FamilyChoice {
  const listed = BOTH.filter((f) => ipFamilies.includes(f)).sort((a, b) => ipFamilies.indexOf(a) - ipFamilies.indexOf(b));
  const unlisted = listed.length === 0;
  const list = unlisted ? (requested.length > 0 ? BOTH.filter((f) => requested.includes(f)) : BOTH) : listed;
  const first = list[0] ?? 'IPv4';
  switch (policy) {
    case 'SingleStack': {
      const f = unlisted ? (list.find(groupHas) ?? first) : first;
      return groupHas(f) ? { ok: true, families: [f] } : { ok: false, missing: f };
    }
    case 'PreferDualStack': {
      const families = list.filter(groupHas);
      return families.length > 0 ? { ok: true, families } : { ok: false, missing: first };
    }
    case 'RequireDualStack': {
      const families = [...list, ...BOTH.filter((f) => !list.includes(f))];
      const missing = families.find((f) => !groupHas(f));
      return missing === undefined ? { ok: true, families } : { ok: false, missing };
    }
  }
}
