// SPEC §4.1: which families a request gets, from its ipFamilies, its policy and the group's pools.
import type { IpFamily } from './address.ts';
import type { IpFamilyPolicy } from './allocation.ts';

const V4: readonly IpFamily[] = ['IPv4'];
const V6: readonly IpFamily[] = ['IPv6'];
const V4_V6: readonly IpFamily[] = ['IPv4', 'IPv6'];
const V6_V4: readonly IpFamily[] = ['IPv6', 'IPv4'];

/** Per family: whether the request names an address of it (`requested`), whether the group has a pool of it (`has`). */
export interface FamilyFacts {
  readonly requested4: boolean;
  readonly requested6: boolean;
  readonly has4: boolean;
  readonly has6: boolean;
}

/**
 * SingleStack → the first listed family; PreferDualStack → the listed families the group has;
 * RequireDualStack → both families (listed order first). An empty list means "IPv4 then IPv6" (or the
 * families of the requested addresses), and SingleStack then takes the first of them the group has.
 * Returns the families in order, or the family that is missing.
 */
export function chooseFamilies(
  policy: IpFamilyPolicy,
  ipFamilies: readonly IpFamily[],
  facts: FamilyFacts,
): readonly IpFamily[] | IpFamily {
  const { requested4, requested6, has4, has6 } = facts;
  const i4 = ipFamilies.indexOf('IPv4');
  const i6 = ipFamilies.indexOf('IPv6');
  const unlisted = i4 < 0 && i6 < 0;
  let list: readonly IpFamily[];
  if (!unlisted) list = i4 < 0 ? V6 : i6 < 0 ? V4 : i4 < i6 ? V4_V6 : V6_V4;
  else if (requested4 !== requested6) list = requested4 ? V4 : V6;
  else list = V4_V6;
  const first = list[0] ?? 'IPv4';
  switch (policy) {
    case 'SingleStack': {
      const f = unlisted ? (list.find((x) => (x === 'IPv4' ? has4 : has6)) ?? first) : first;
      if (!(f === 'IPv4' ? has4 : has6)) return f;
      return f === 'IPv4' ? V4 : V6;
    }
    case 'PreferDualStack': {
      if (list.length === 1) return (first === 'IPv4' ? has4 : has6) ? list : first;
      if (has4 && has6) return list;
      if (has4) return V4;
      return has6 ? V6 : first;
    }
    case 'RequireDualStack': {
      const families = list.length === 2 ? list : first === 'IPv4' ? V4_V6 : V6_V4;
      if (!(first === 'IPv4' ? has4 : has6)) return first;
      const second = families[1] ?? 'IPv6';
      return (second === 'IPv4' ? has4 : has6) ? families : second;
    }
  }
}
