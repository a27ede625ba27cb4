// Invariants of the allocation state under random operation sequences, checked against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from './address.ts';
import type { IpFamily } from './address.ts';
import type { Allocation, AllocationRequest, IpFamilyPolicy, PortSpec } from './allocation.ts';
import { createIpam } from './ipam.ts';
import type { Ipam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';
import type { GroupCheck } from './validate-service-groups.ts';

const GROUPS = validateServiceGroups([
  {
    name: 'g1',
    createdAt: 1,
    spec: {
      local: {
        v4pools: [
          { pool: '192.0.2.20-192.0.2.22', subnet: '192.0.2.0/24' },
          { pool: '192.0.2.0-192.0.2.4', subnet: '192.0.2.0/24' },
        ],
        v6pools: [{ pool: '2001:db8::1-2001:db8::4', subnet: '2001:db8::/64' }],
      },
    },
  },
  { name: 'g2', createdAt: 2, spec: { local: { v4pools: [{ pool: '198.51.100.0/30', subnet: '198.51.100.0/24' }] } } },
]);
// g1 shrinks, and g2 moves onto addresses g1 gave out: holders keep them, reported outside their group.
const SHRUNK = validateServiceGroups([
  {
    name: 'g1',
    createdAt: 1,
    spec: {
      local: {
        v4pools: [{ pool: '192.0.2.0-192.0.2.2', subnet: '192.0.2.0/24' }],
        v6pools: [{ pool: '2001:db8::2/127', subnet: '2001:db8::/64' }],
      },
    },
  },
  { name: 'g2', createdAt: 2, spec: { local: { v4pools: [{ pool: '192.0.2.20/30', subnet: '192.0.2.0/24' }] } } },
]);

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
const UNIVERSE = [
  '192.0.2.0',
  '192.0.2.3',
  '192.0.2.21',
  '192.0.2.9',
  '198.51.100.2',
  '2001:db8::1',
  '2001:db8::4',
  '2001:db8::9',
];
const PORTS: PortSpec[] = [
  { protocol: 'TCP', port: 53 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 80 },
];

type Op =
  | { readonly kind: 'allocate'; readonly request: AllocationRequest }
  | { readonly kind: 'release'; readonly key: string; readonly family: IpFamily | undefined }
  | { readonly kind: 'reconfigure'; readonly shrunk: boolean };

const familiesArb = fc.constantFrom<[IpFamily[], IpFamilyPolicy]>(
  [['IPv4'], 'SingleStack'],
  [['IPv6'], 'SingleStack'],
  [['IPv4', 'IPv6'], 'PreferDualStack'],
  [['IPv6', 'IPv4'], 'RequireDualStack'],
  [['IPv6'], 'PreferDualStack'],
);

const requestArb: fc.Arbitrary<AllocationRequest> = fc
  .record({
    key: fc.constantFrom(...KEYS),
    group: fc.constantFrom('g1', 'g1', 'g2', 'nope'),
    families: familiesArb,
    requested: fc.option(fc.subarray(UNIVERSE, { minLength: 1, maxLength: 2 }), { freq: 4 }),
    sharingKey: fc.option(fc.constantFrom('s1', 's2'), { freq: 2 }),
    ports: fc.subarray(PORTS),
  })
  .map(({ key, group, families, requested, sharingKey, ports }) => ({
    key,
    group,
    ipFamilies: families[0],
    ipFamilyPolicy: families[1],
    ports,
    ...(requested === null ? {} : { requestedAddresses: requested }),
    ...(sharingKey === null ? {} : { sharingKey }),
  }));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: requestArb.map((request) => ({ kind: 'allocate' as const, request })) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        key: fc.constantFrom(...KEYS),
        family: fc.option(fc.constantFrom<IpFamily>('IPv4', 'IPv6'), { freq: 3 }),
      })
      .map(({ key, family }) => ({ kind: 'release' as const, key, family: family ?? undefined })),
  },
  { weight: 1, arbitrary: fc.boolean().map((shrunk) => ({ kind: 'reconfigure' as const, shrunk })) },
);

const valueOf = (text: string): bigint => {
  const p = parseAddress(text);
  if (!p.ok) throw new Error(p.error.message);
  return p.value.value;
};

/** Every address of a family of a valid group, pools in written order, ascending inside each pool. */
function addressesOf(groups: readonly GroupCheck[], name: string, family: IpFamily): string[] {
  const check = groups.find((g) => g.name === name);
  if (check?.ok !== true) return [];
  const pools = family === 'IPv4' ? check.value.v4pools : check.value.v6pools;
  const out: string[] = [];
  for (const p of pools)
    for (let v = p.range.first; v <= p.range.last; v++) out.push(formatAddress({ family, value: v }));
  return out;
}

function holders(allocations: readonly Allocation[]): Map<string, Allocation[]> {
  const byAddress = new Map<string, Allocation[]>();
  for (const a of allocations)
    for (const { address } of a.addresses) byAddress.set(address, [...(byAddress.get(address) ?? []), a]);
  return byAddress;
}

/** Holdings outside every pool of their group (of any valid group, for holders without one), by brute force. */
function expectedOutside(allocations: readonly Allocation[], groups: readonly GroupCheck[]): (string | undefined)[][] {
  const names = groups.filter((g) => g.ok).map((g) => g.name);
  const out: (string | undefined)[][] = [];
  for (const a of allocations) {
    for (const family of ['IPv4', 'IPv6'] as const) {
      const held = a.addresses.find((x) => x.family === family);
      if (held === undefined) continue;
      const inside = (a.group === undefined ? names : [a.group]).some((g) =>
        addressesOf(groups, g, family).includes(held.address),
      );
      if (!inside) out.push([a.key, a.group, family, held.address]);
    }
  }
  return out;
}

function checkInvariants(ipam: Ipam, groups: readonly GroupCheck[]): void {
  const allocations = ipam.allocations();
  const byAddress = holders(allocations);
  // 1. No address is held by two keys that may not share.
  for (const [, users] of byAddress) {
    if (users.length < 2) continue;
    const sharing = users[0]?.sharingKey;
    expect(sharing).toBeDefined();
    for (const u of users) expect(u.sharingKey).toBe(sharing);
    const seen = new Set<string>();
    for (const u of users) {
      for (const p of u.ports) {
        const id = `${p.protocol}/${p.port}`;
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
  }
  // 2. At most one address per family per key.
  for (const a of allocations) expect(new Set(a.addresses.map((x) => x.family)).size).toBe(a.addresses.length);
  // 3. Exact counts equal a brute-force recount.
  for (const name of ['g1', 'g2']) {
    const stats = ipam.groupStats(name);
    const valid = groups.some((g) => g.name === name && g.ok);
    expect(stats === undefined).toBe(!valid);
    if (stats === undefined) continue;
    for (const family of ['IPv4', 'IPv6'] as const) {
      const all = addressesOf(groups, name, family);
      const held = all.filter((x) => byAddress.has(x)).length;
      expect(stats[family]).toEqual({
        capacity: BigInt(all.length),
        allocated: BigInt(held),
        available: BigInt(all.length - held),
      });
    }
  }
}

describe('Ipam invariants', () => {
  it('hold after any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        let groups = GROUPS;
        const ipam = createIpam(groups);
        for (const op of ops) {
          switch (op.kind) {
            case 'allocate': {
              const before = ipam.allocations();
              const held = new Set(before.flatMap((a) => a.addresses.map((x) => x.address)));
              const plain =
                op.request.requestedAddresses === undefined &&
                op.request.sharingKey === undefined &&
                op.request.ipFamilyPolicy === 'SingleStack' &&
                ipam.allocationOf(op.request.key) === undefined;
              const r = ipam.allocate(op.request);
              if (!r.ok) {
                // A failure changes nothing.
                expect(ipam.allocations()).toEqual(before);
                if (plain && r.error.code === 'PoolExhausted') {
                  const family = op.request.ipFamilies[0] ?? 'IPv4';
                  expect(
                    addressesOf(groups, op.request.group ?? 'default', family).filter((x) => !held.has(x)),
                  ).toEqual([]);
                }
                break;
              }
              // Lowest free address of the family across the group's pools in written order.
              if (plain) {
                const family = op.request.ipFamilies[0] ?? 'IPv4';
                const lowest = addressesOf(groups, op.request.group ?? 'default', family).find((x) => !held.has(x));
                expect(r.value.addresses.map((a) => a.address)).toEqual([lowest]);
              }
              // Requested addresses are what the key got.
              for (const text of op.request.requestedAddresses ?? []) {
                const v = valueOf(text);
                expect(r.value.addresses.some((a) => valueOf(a.address) === v)).toBe(true);
              }
              // Re-requesting changes nothing.
              const again = ipam.allocate(op.request);
              expect(again).toEqual({ ok: true, value: r.value, changed: false, released: [] });
              break;
            }
            case 'release': {
              const before = ipam.allocationOf(op.key);
              const released = ipam.release(op.key, op.family);
              const expected = (before?.addresses ?? []).filter(
                (a) => op.family === undefined || a.family === op.family,
              );
              expect(released).toEqual(expected);
              break;
            }
            case 'reconfigure': {
              const before = ipam.allocations();
              groups = op.shrunk ? SHRUNK : GROUPS;
              const outside = ipam.setGroups(groups);
              // Every holding stays held, and what is reported outside is exactly what brute force finds.
              expect(ipam.allocations()).toEqual(before);
              expect(outside.map((o) => [o.key, o.group, o.family, o.address])).toEqual(
                expectedOutside(before, groups),
              );
              // The pools are those of a state built from scratch with the same groups.
              const fresh = createIpam(groups);
              for (const address of UNIVERSE) expect(ipam.locate(address), address).toEqual(fresh.locate(address));
              break;
            }
          }
          checkInvariants(ipam, groups);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('import then allocate never gives an address twice', () => {
    const existingArb = fc.array(
      fc.record({
        key: fc.constantFrom(...KEYS),
        addresses: fc.subarray(UNIVERSE, { minLength: 1, maxLength: 2 }),
        sharingKey: fc.constantFrom('s1', 's2', ''),
        ports: fc.subarray(PORTS),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(existingArb, fc.array(requestArb, { maxLength: 20 }), (existing, requests) => {
        const ipam = createIpam(GROUPS);
        const report = ipam.importAllocations(existing);
        const held = ipam.allocations().reduce((n, a) => n + a.addresses.length, 0);
        expect(report.imported).toBe(held);
        checkInvariants(ipam, GROUPS);
        const importedBy = holders(ipam.allocations());
        for (const request of requests) {
          ipam.allocate(request);
          checkInvariants(ipam, GROUPS);
        }
        // Imported holdings outside every pool are never handed to a key that did not hold them.
        for (const [address, users] of holders(ipam.allocations())) {
          if (ipam.locate(address) !== undefined) continue;
          const before = new Set((importedBy.get(address) ?? []).map((a) => a.key));
          for (const u of users) expect(before.has(u.key)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
