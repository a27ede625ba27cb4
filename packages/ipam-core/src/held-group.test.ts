// The group a holder belongs to after pool edits: the same on a state that lived through the edits and
// on one that imports the outcome (SPEC §4.4, §4.8: the same cluster state gives the same result).
import { describe, expect, it } from 'vitest';
import type { AllocationRequest, ExistingAllocation } from './allocation.ts';
import { createIpam } from './ipam.ts';
import type { Ipam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';
import type { GroupInput } from './validate-service-groups.ts';

const v4 = (key: string, extra: Partial<AllocationRequest> = {}): AllocationRequest => ({
  key,
  ipFamilies: ['IPv4'],
  ipFamilyPolicy: 'SingleStack',
  ...extra,
});
const group = (name: string, createdAt: number, pool: string): GroupInput => ({
  name,
  createdAt,
  spec: { local: { v4pools: [{ pool, subnet: '192.0.2.0/24' }] } },
});

/** What a new replica builds from the Services as they show now: addresses plus the group recorded next to them. */
function importedCopy(live: Ipam, groups: readonly GroupInput[]): Ipam {
  const copy = createIpam(validateServiceGroups(groups));
  const existing: ExistingAllocation[] = live.allocations().map((a) => ({
    key: a.key,
    addresses: a.addresses.map((x) => x.address),
    ...(a.group === undefined ? {} : { group: a.group }),
  }));
  expect(copy.importAllocations(existing).issues.filter((i) => i.code !== 'AddressOutsidePool')).toEqual([]);
  return copy;
}

function view(ipam: Ipam, key: string, request: AllocationRequest) {
  const r = ipam.allocate(request);
  return {
    result: r.ok ? { group: r.value.group, addresses: r.value.addresses } : r.error.code,
    outside: ipam.outsidePool(),
    held: ipam.allocationOf(key),
  };
}

describe('the group of a holder', () => {
  it('a pinned address outside every pool keeps the group it was given from when asked for again without a group', () => {
    const ipam = createIpam(validateServiceGroups([group('virtual', 1, '192.0.2.16/28')]));
    const pinned = v4('ns/pinned', { requestedAddresses: ['192.0.2.20'] });
    const first = ipam.allocate(pinned);
    expect(first.ok ? first.value.group : first.error.code).toBe('virtual');
    ipam.setGroups(
      validateServiceGroups([group('virtual', 1, '192.0.2.16-192.0.2.19'), group('default', 2, '192.0.2.100/30')]),
    );
    expect(ipam.outsidePool().map((o) => [o.key, o.group])).toEqual([['ns/pinned', 'virtual']]);
    const again = ipam.allocate(pinned);
    expect(again.ok ? [again.value.group, again.changed] : again.error.code).toEqual(['virtual', false]);
    expect(ipam.allocationOf('ns/pinned')?.group).toBe('virtual');
  });

  it('a pinned address whose pool now belongs to another group moves to that group, live and after an import alike', () => {
    const before = [group('default', 1, '192.0.2.0/24'), group('overlap', 2, '192.0.2.248/29')];
    const after = [group('overlap', 2, '192.0.2.248/29')];
    const live = createIpam(validateServiceGroups(before));
    const pinned = v4('ns/pinned', { requestedAddresses: ['192.0.2.250'] });
    expect(live.allocate(pinned)).toMatchObject({ ok: true, value: { group: 'default' } });
    live.setGroups(validateServiceGroups(after));
    const copy = importedCopy(live, after);
    const expected = {
      result: { group: 'overlap', addresses: [{ family: 'IPv4', address: '192.0.2.250' }] },
      outside: [],
    };
    expect(view(live, 'ns/pinned', pinned)).toMatchObject(expected);
    expect(view(copy, 'ns/pinned', pinned)).toEqual(view(live, 'ns/pinned', pinned));
  });

  it('a holder that names its group is not moved into the group whose pool now holds its address, after an import either', () => {
    const before = [group('a', 1, '192.0.2.1-192.0.2.10')];
    const after = [group('a', 1, '192.0.2.5-192.0.2.10'), group('b', 2, '192.0.2.1-192.0.2.4')];
    const live = createIpam(validateServiceGroups(before));
    const named = v4('ns/named', { group: 'a' });
    expect(live.allocate(named)).toMatchObject({
      ok: true,
      value: { group: 'a', addresses: [{ address: '192.0.2.1' }] },
    });
    live.setGroups(validateServiceGroups(after));
    const copy = importedCopy(live, after);
    for (const ipam of [live, copy]) {
      expect(ipam.allocationOf('ns/named')).toMatchObject({ group: 'a', addresses: [{ address: '192.0.2.1' }] });
      expect(ipam.outsidePool().map((o) => [o.key, o.group, o.address])).toEqual([['ns/named', 'a', '192.0.2.1']]);
      expect(ipam.groupStats('b')?.IPv4.allocated).toBe(1n);
    }
    // Nothing else may take the address while it is held.
    for (const ipam of [live, copy]) {
      const other = ipam.allocate(v4('ns/other', { group: 'b' }));
      expect(other.ok ? other.value.addresses[0]?.address : other.error.code).toBe('192.0.2.2');
    }
  });
});
