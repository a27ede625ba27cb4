// Pools that keep addresses back: `avoidBuggyIPs` (per group, per pool) and `exclude`, their parsing
// and located errors, the exact counts and the addresses handed out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, formatValue } from './address.ts';
import { formatRange, parseCidr, parsePool, rangeSize } from './address-range.ts';
import type { AddressRange } from './address-range.ts';
import { createIpam } from './ipam.ts';
import { parseServiceGroupSpec } from './parse-service-group-spec.ts';
import { reservedAddresses, subtractRanges, usableRanges } from './pool-options.ts';
import type { Pool, ServiceGroup } from './service-group.ts';
import { validateServiceGroups } from './validate-service-groups.ts';

function group(spec: unknown): ServiceGroup {
  const parsed = parseServiceGroupSpec('g', spec);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return parsed.value;
}

const pools = (g: ServiceGroup): Pool[] => [...g.v4pools, ...g.v6pools];
const usable = (p: Pool): string[] => p.usable.map(formatRange);

function errorsOf(spec: unknown): string[] {
  const parsed = parseServiceGroupSpec('g', spec);
  return parsed.ok ? [] : parsed.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('reservedAddresses', () => {
  it.each([
    ['192.0.2.0/24', ['192.0.2.0', '192.0.2.255']],
    ['192.0.2.64/26', ['192.0.2.64', '192.0.2.127']],
    ['192.0.2.0/30', ['192.0.2.0', '192.0.2.3']],
    ['192.0.2.0/31', []],
    ['192.0.2.7/32', []],
    ['2001:db8::/64', ['2001:db8::']],
    ['2001:db8::/126', ['2001:db8::']],
    ['2001:db8::/127', []],
    ['2001:db8::1/128', []],
  ])('%s keeps back %j', (cidr, expected) => {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(reservedAddresses(parsed.value).map((r) => formatValue(r.family, r.first))).toEqual(expected);
  });
});

describe('parseServiceGroupSpec: avoidBuggyIPs and exclude', () => {
  it('keeps back the network and broadcast addresses of an IPv4 subnet, the anycast address of an IPv6 one', () => {
    const g = group({
      local: {
        avoidBuggyIPs: true,
        v4pools: [{ pool: '192.0.2.0/24', subnet: '192.0.2.0/24' }],
        v6pools: [{ pool: '2001:db8::/120', subnet: '2001:db8::/64' }],
      },
    });
    expect(pools(g).map(usable)).toEqual([['192.0.2.1-192.0.2.254'], ['2001:db8::1-2001:db8::ff']]);
    expect(pools(g).map((p) => p.avoidBuggyIPs)).toEqual([true, true]);
  });

  it('lets a pool override its group, and leaves a pool that does not reach its subnet ends as it is', () => {
    const g = group({
      local: {
        avoidBuggyIPs: true,
        v4pools: [
          { pool: '192.0.2.0/25', subnet: '192.0.2.0/24', avoidBuggyIPs: false },
          { pool: '192.0.2.128/25', subnet: '192.0.2.0/24' },
          { pool: '198.51.100.10-198.51.100.20', subnet: '198.51.100.0/24' },
        ],
      },
    });
    expect(pools(g).map(usable)).toEqual([
      ['192.0.2.0-192.0.2.127'],
      ['192.0.2.128-192.0.2.254'],
      ['198.51.100.10-198.51.100.20'],
    ]);
  });

  it('is off unless asked for, in every form', () => {
    expect(pools(group({ local: { pool: '192.0.2.0/24', subnet: '192.0.2.0/24' } })).map(usable)).toEqual([
      ['192.0.2.0-192.0.2.255'],
    ]);
    expect(
      pools(group({ local: { pool: '192.0.2.0/24', subnet: '192.0.2.0/24', avoidBuggyIPs: true } })).map(usable),
    ).toEqual([['192.0.2.1-192.0.2.254']]);
    expect(
      pools(group({ local: { avoidBuggyIPs: true, v4pool: { pool: '192.0.2.0/30', subnet: '192.0.2.0/30' } } })).map(
        usable,
      ),
    ).toEqual([['192.0.2.1-192.0.2.2']]);
  });

  it('excludes addresses, ranges and CIDRs, merged with what avoidBuggyIPs keeps back', () => {
    const g = group({
      local: {
        v4pools: [
          {
            pool: '192.0.2.0/24',
            subnet: '192.0.2.0/24',
            avoidBuggyIPs: true,
            exclude: ['192.0.2.10', '192.0.2.20 - 192.0.2.29', '192.0.2.24/29', '192.0.2.1'],
          },
        ],
        v6pools: [{ pool: '2001:db8::/126', subnet: '2001:db8::/64', exclude: ['2001:DB8::2'] }],
      },
    });
    expect(pools(g).map(usable)).toEqual([
      ['192.0.2.2-192.0.2.9', '192.0.2.11-192.0.2.19', '192.0.2.32-192.0.2.254'],
      ['2001:db8::-2001:db8::1', '2001:db8::3-2001:db8::3'],
    ]);
    expect(g.v4pools[0]?.exclude.map(formatRange)).toEqual([
      '192.0.2.10-192.0.2.10',
      '192.0.2.20-192.0.2.29',
      '192.0.2.24-192.0.2.31',
      '192.0.2.1-192.0.2.1',
    ]);
  });

  it('accepts a pool with every address kept back: it hands out nothing', () => {
    const g = group({
      local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: ['192.0.2.0/30'] }] },
    });
    expect(pools(g).map(usable)).toEqual([[]]);
  });

  it.each([
    [
      { local: { avoidBuggyIPs: 'yes', v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24' }] } },
      'spec.local.avoidBuggyIPs: must be a boolean',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', avoidBuggyIPs: 1 }] } },
      'spec.local.v4pools[0].avoidBuggyIPs: must be a boolean',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: '192.0.2.1' }] } },
      'spec.local.v4pools[0].exclude: must be a list',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: [7] }] } },
      'spec.local.v4pools[0].exclude[0]: must be a string',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: ['192.0.2.1', 'nope'] }] } },
      'spec.local.v4pools[0].exclude[1]: "nope" is not a valid address, range or CIDR',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: [' 192.0.2.1'] }] } },
      'spec.local.v4pools[0].exclude[0]: " 192.0.2.1" is not a valid address, range or CIDR',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: ['192.0.2.9-192.0.2.1'] }] } },
      'spec.local.v4pools[0].exclude[0]: range start 192.0.2.9 is after its end 192.0.2.1',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: ['2001:db8::1'] }] } },
      'spec.local.v4pools[0].exclude[0]: exclude entry 2001:db8::1-2001:db8::1 is IPv6 but the pool is IPv4',
    ],
    [
      { local: { v6pools: [{ pool: '2001:db8::/126', subnet: '2001:db8::/64', exclude: ['::ffff:192.0.2.1'] }] } },
      'spec.local.v6pools[0].exclude[0]: "::ffff:192.0.2.1" is not a valid address, range or CIDR (IPv4-mapped IPv6 addresses are not allowed)',
    ],
    [
      { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: ['198.51.100.1'] }] } },
      'spec.local.v4pools[0].exclude[0]: exclude entry 198.51.100.1-198.51.100.1 is not inside subnet 192.0.2.0/24',
    ],
    [
      {
        local: {
          v4pools: [
            {
              pool: '192.0.2.0/30',
              subnet: '192.0.2.0/24',
              exclude: Array.from({ length: 17 }, (_, i) => `192.0.2.${i}`),
            },
          ],
        },
      },
      'spec.local.v4pools[0].exclude: must have at most 16 entries',
    ],
    [
      { local: { exclude: ['192.0.2.1'], v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24' }] } },
      'spec.local.exclude: exclude at this level belongs to the single-pool form and needs pool and subnet',
    ],
  ])('rejects %j: %s', (spec, expected) => {
    expect(errorsOf(spec)).toContain(expected);
  });

  it('says a group with only an exclude list has no pool', () => {
    expect(errorsOf({ local: { exclude: ['192.0.2.1'] } })).toEqual([
      'spec.local.exclude: exclude at this level belongs to the single-pool form and needs pool and subnet',
      'spec.local: the group has no pool',
    ]);
  });
});

describe('allocation from pools that keep addresses back', () => {
  const checks = validateServiceGroups([
    {
      name: 'g',
      createdAt: 1,
      spec: {
        local: {
          avoidBuggyIPs: true,
          v4pools: [{ pool: '192.0.2.0/29', subnet: '192.0.2.0/29', exclude: ['192.0.2.3'] }],
          v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }],
        },
      },
    },
  ]);

  it('counts only what the pools hand out, exactly, and hands out nothing else', () => {
    const ipam = createIpam(checks);
    const stats = ipam.groupStats('g');
    expect(stats?.IPv4).toEqual({ capacity: 5n, allocated: 0n, available: 5n });
    expect(stats?.IPv6.capacity).toBe(18446744073709551615n);
    const got: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = ipam.allocate({ key: `k${i}`, group: 'g', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
      got.push(r.ok ? (r.value.addresses[0]?.address ?? '') : r.error.code);
    }
    expect(got).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.4', '192.0.2.5', '192.0.2.6', 'PoolExhausted']);
    const v6 = ipam.allocate({ key: 'k6', group: 'g', ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' });
    expect(v6.ok ? v6.value.addresses : v6.error).toEqual([{ family: 'IPv6', address: '2001:db8::1' }]);
    expect(ipam.poolStats('g')?.map((p) => [p.family, p.poolIndex, p.capacity, p.allocated, p.available])).toEqual([
      ['IPv4', 0, 5n, 5n, 0n],
      ['IPv6', 0, 18446744073709551615n, 1n, 18446744073709551614n],
    ]);
  });

  it('refuses a kept-back address asked for by name, and reports one already held as outside the pool', () => {
    const ipam = createIpam(checks);
    const asked = ipam.allocate({
      key: 'k',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      requestedAddresses: ['192.0.2.3'],
    });
    expect(asked.ok ? asked.value : asked.error.code).toBe('AddressNotInPool');
    const report = ipam.importAllocations([{ key: 'old', addresses: ['192.0.2.7'], group: 'g' }]);
    expect(report.issues.map((i) => i.code)).toEqual(['AddressOutsidePool']);
    expect(ipam.outsidePool().map((o) => o.address)).toEqual(['192.0.2.7']);
    expect(ipam.groupStats('g')?.IPv4).toEqual({ capacity: 5n, allocated: 0n, available: 5n });
  });

  it('reports a group whose only pool keeps every address back as exhausted, not as missing the family', () => {
    const ipam = createIpam(
      validateServiceGroups([
        {
          name: 'e',
          createdAt: 1,
          spec: { local: { v4pools: [{ pool: '192.0.2.0/30', subnet: '192.0.2.0/24', exclude: ['192.0.2.0/30'] }] } },
        },
      ]),
    );
    const r = ipam.allocate({ key: 'k', group: 'e', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(r.ok ? r.value : r.error.code).toBe('PoolExhausted');
    expect(ipam.groupStats('e')?.IPv4).toEqual({ capacity: 0n, allocated: 0n, available: 0n });
  });
});

describe('kept-back addresses: properties', () => {
  const v4Range = fc
    .tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 }))
    .map(([a, b]): AddressRange => ({
      family: 'IPv4',
      first: 0xc0000200n + BigInt(Math.min(a, b)),
      last: 0xc0000200n + BigInt(Math.max(a, b)),
    }));

  it('subtractRanges leaves exactly the addresses of the range in no hole, in order, disjoint', () => {
    fc.assert(
      fc.property(v4Range, fc.array(v4Range, { maxLength: 6 }), (range, holes) => {
        const parts = subtractRanges(range, holes);
        const expected: bigint[] = [];
        for (let v = range.first; v <= range.last; v++)
          if (!holes.some((h) => h.first <= v && v <= h.last)) expected.push(v);
        const got = parts.flatMap((p) => {
          const out: bigint[] = [];
          for (let v = p.first; v <= p.last; v++) out.push(v);
          return out;
        });
        expect(got).toEqual(expected);
        for (let i = 1; i < parts.length; i++)
          expect((parts[i]?.first ?? 0n) > (parts[i - 1]?.last ?? 0n) + 1n).toBe(true);
      }),
    );
  });

  it('filling a pool gives exactly its capacity, never a kept-back address, lowest first', () => {
    const offsets = fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 8 });
    fc.assert(
      fc.property(fc.integer({ min: 26, max: 30 }), fc.boolean(), offsets, (prefix, avoid, excluded) => {
        const subnet = `192.0.2.0/${prefix}`;
        const size = 2 ** (32 - prefix);
        const exclude = excluded.filter((o) => o < size).map((o) => `192.0.2.${o}`);
        const checks = validateServiceGroups([
          {
            name: 'g',
            createdAt: 1,
            spec: { local: { v4pools: [{ pool: subnet, subnet, avoidBuggyIPs: avoid, exclude }] } },
          },
        ]);
        const first = checks[0];
        if (first?.ok !== true) throw new Error('the group is invalid');
        const pool = first.value.v4pools[0] as Pool;
        const ipam = createIpam(checks);
        const capacity = ipam.groupStats('g')?.IPv4.capacity ?? -1n;
        const keptBack = new Set([...exclude, ...(avoid ? ['192.0.2.0', `192.0.2.${size - 1}`] : [])]);
        expect(capacity).toBe(BigInt(size - keptBack.size));
        expect(capacity).toBe(pool.usable.reduce((n, r) => n + rangeSize(r), 0n));
        const given: string[] = [];
        for (;;) {
          const r = ipam.allocate({
            key: `k${given.length}`,
            group: 'g',
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
          });
          if (!r.ok) {
            expect(r.error.code).toBe('PoolExhausted');
            break;
          }
          given.push(r.value.addresses[0]?.address ?? '');
        }
        const expected = Array.from({ length: size }, (_, i) => `192.0.2.${i}`).filter((a) => !keptBack.has(a));
        expect(given).toEqual(expected);
        expect(ipam.groupStats('g')?.IPv4.available).toBe(0n);
      }),
    );
  });

  it('usableRanges of an IPv6 /64 with avoidBuggyIPs is the /64 minus its first address', () => {
    const pool = parsePool('2001:db8::/64');
    const subnet = parseCidr('2001:db8::/64');
    if (!pool.ok || !subnet.ok) throw new Error('unparsable');
    const parts = usableRanges(pool.value, subnet.value, { avoidBuggyIPs: true, exclude: [] });
    expect(parts.map((p) => `${formatAddress({ family: 'IPv6', value: p.first })} ${rangeSize(p)}`)).toEqual([
      '2001:db8::1 18446744073709551615',
    ]);
  });
});
