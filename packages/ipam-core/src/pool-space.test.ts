// Large pools: a /8 and a /64 cost no more than small ones, and counts stay exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress } from './address.ts';
import type { AllocationRequest } from './allocation.ts';
import { parsePool } from './address-range.ts';
import { createPoolSpace, formatAt, offsetOf, valueAt } from './pool-space.ts';
import { createIpam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';

const req = (key: string, family: 'IPv4' | 'IPv6', addr?: string): AllocationRequest => ({
  key,
  ipFamilies: [family],
  ipFamilyPolicy: 'SingleStack',
  ...(addr === undefined ? {} : { requestedAddresses: [addr] }),
});
const addressOf = (r: ReturnType<ReturnType<typeof createIpam>['allocate']>): string =>
  r.ok ? (r.value.addresses[0]?.address ?? '-') : r.error.code;

describe('large pools', () => {
  it('a /8 IPv4 pool: both ends, exact counts', () => {
    const ipam = createIpam(
      validateServiceGroups([
        { name: 'default', createdAt: 0, spec: { local: { v4pools: [{ pool: '10.0.0.0/8', subnet: '10.0.0.0/8' }] } } },
      ]),
    );
    expect(addressOf(ipam.allocate(req('a', 'IPv4')))).toBe('10.0.0.0');
    expect(addressOf(ipam.allocate(req('z', 'IPv4', '10.255.255.255')))).toBe('10.255.255.255');
    expect(addressOf(ipam.allocate(req('m', 'IPv4', '10.128.0.0')))).toBe('10.128.0.0');
    expect(addressOf(ipam.allocate(req('b', 'IPv4')))).toBe('10.0.0.1');
    expect(ipam.groupStats('default')?.IPv4).toEqual({ capacity: 16777216n, allocated: 4n, available: 16777212n });
    ipam.release('a');
    expect(addressOf(ipam.allocate(req('c', 'IPv4')))).toBe('10.0.0.0');
  });

  it('a /64 IPv6 pool: both ends, beyond 2^53, exact counts', () => {
    const ipam = createIpam(
      validateServiceGroups([
        {
          name: 'default',
          createdAt: 0,
          spec: { local: { v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }] } },
        },
      ]),
    );
    expect(ipam.groupStats('default')?.IPv6).toEqual({
      capacity: 18446744073709551616n,
      allocated: 0n,
      available: 18446744073709551616n,
    });
    expect(addressOf(ipam.allocate(req('a', 'IPv6')))).toBe('2001:db8::');
    expect(addressOf(ipam.allocate(req('last', 'IPv6', '2001:db8::ffff:ffff:ffff:ffff')))).toBe(
      '2001:db8::ffff:ffff:ffff:ffff',
    );
    expect(addressOf(ipam.allocate(req('at53', 'IPv6', '2001:db8::20:0:0:0')))).toBe('2001:db8:0:0:20::');
    expect(addressOf(ipam.allocate(req('below53', 'IPv6', '2001:db8::1f:ffff:ffff:ffff')))).toBe(
      '2001:db8::1f:ffff:ffff:ffff',
    );
    expect(addressOf(ipam.allocate(req('dup', 'IPv6', '2001:db8::20:0:0:0')))).toBe('AddressInUse');
    expect(addressOf(ipam.allocate(req('b', 'IPv6')))).toBe('2001:db8::1');
    expect(ipam.groupStats('default')?.IPv6).toEqual({
      capacity: 18446744073709551616n,
      allocated: 5n,
      available: 18446744073709551611n,
    });
    ipam.release('last');
    ipam.release('at53');
    expect(addressOf(ipam.allocate(req('again', 'IPv6', '2001:db8:0:0:20::')))).toBe('2001:db8:0:0:20::');
    expect(ipam.groupStats('default')?.IPv6.available).toBe(18446744073709551612n);
  });

  it('keeps addresses beyond 2^53 across import and reconfiguration', () => {
    const groups = validateServiceGroups([
      {
        name: 'default',
        createdAt: 0,
        spec: { local: { v6pools: [{ pool: '2001:db8::/48', subnet: '2001:db8::/48' }] } },
      },
    ]);
    const ipam = createIpam(groups);
    const report = ipam.importAllocations([
      { key: 'far', addresses: ['2001:db8:0:ffff::5'] },
      { key: 'near', addresses: ['2001:db8::'] },
    ]);
    expect(report.issues).toEqual([]);
    ipam.setGroups(groups);
    expect(addressOf(ipam.allocate(req('x', 'IPv6', '2001:db8:0:ffff::5')))).toBe('AddressInUse');
    expect(addressOf(ipam.allocate(req('y', 'IPv6')))).toBe('2001:db8::1');
    expect(ipam.groupStats('default')?.IPv6).toEqual({ capacity: 2n ** 80n, allocated: 3n, available: 2n ** 80n - 3n });
    ipam.release('far');
    expect(addressOf(ipam.allocate(req('x', 'IPv6', '2001:db8:0:ffff::5')))).toBe('2001:db8:0:ffff::5');
  });

  it('a ::/0 and a 0.0.0.0/0 pool work to their very last address', () => {
    const ipam = createIpam(
      validateServiceGroups([
        {
          name: 'default',
          createdAt: 0,
          spec: {
            local: {
              v4pools: [{ pool: '0.0.0.0/0', subnet: '0.0.0.0/0' }],
              v6pools: [{ pool: '::/0', subnet: '::/0' }],
            },
          },
        },
      ]),
    );
    expect(addressOf(ipam.allocate(req('a', 'IPv4', '255.255.255.255')))).toBe('255.255.255.255');
    expect(addressOf(ipam.allocate(req('b', 'IPv6', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')))).toBe(
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    );
    expect(ipam.groupStats('default')).toEqual({
      group: 'default',
      IPv4: { capacity: 2n ** 32n, allocated: 1n, available: 2n ** 32n - 1n },
      IPv6: { capacity: 2n ** 128n, allocated: 1n, available: 2n ** 128n - 1n },
    });
    ipam.release('a');
    ipam.release('b');
    expect(addressOf(ipam.allocate(req('c', 'IPv4', '255.255.255.255')))).toBe('255.255.255.255');
  });
});

describe('pool offsets', () => {
  it('format, value and offset agree for any pool start and offset', () => {
    const max = (1n << 128n) - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 0n, max: 1n << 60n }), (first, delta) => {
        const last = first + delta > max ? max : first + delta;
        const range = { family: 'IPv6' as const, first, last };
        const pool = createPoolSpace<unknown>(
          {
            family: 'IPv6',
            range,
            subnet: { family: 'IPv6', address: 0n, prefixLength: 0, first: 0n, last: max },
            aggregation: { kind: 'default' },
            path: 'p',
            avoidBuggyIPs: false,
            exclude: [],
            usable: [range],
          },
          { group: 'g', poolIndex: 0 },
        );
        const value = last;
        const offset = offsetOf(pool, value);
        expect(typeof offset === 'number').toBe(value - first < 2n ** 53n);
        expect(valueAt(pool, offset)).toBe(value);
        expect(formatAt(pool, offset)).toBe(formatAddress({ family: 'IPv6', value }));
      }),
    );
  });

  it('formats IPv4 offsets', () => {
    const parsed = parsePool('198.18.0.0/15');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const pool = createPoolSpace<unknown>(
      {
        family: 'IPv4',
        range: parsed.value,
        subnet: { family: 'IPv4', address: 0n, prefixLength: 0, first: 0n, last: 0xffffffffn },
        aggregation: { kind: 'default' },
        path: 'p',
        avoidBuggyIPs: false,
        exclude: [],
        usable: [parsed.value],
      },
      { group: 'g', poolIndex: 0 },
    );
    expect(formatAt(pool, 0x1ffff)).toBe('198.19.255.255');
    expect(offsetOf(pool, valueAt(pool, 12345))).toBe(12345);
  });
});
