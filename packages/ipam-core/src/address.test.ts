import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from './address.ts';
import type { IpAddress } from './address.ts';

const parse = (text: string): IpAddress => {
  const r = parseAddress(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('parseAddress / formatAddress', () => {
  it.each([
    ['192.0.2.1', 'IPv4', 3221225985n, '192.0.2.1'],
    [' 198.51.100.7 ', 'IPv4', 3325256711n, '198.51.100.7'],
    ['0.0.0.0', 'IPv4', 0n, '0.0.0.0'],
    ['255.255.255.255', 'IPv4', 4294967295n, '255.255.255.255'],
    ['::', 'IPv6', 0n, '::'],
    ['::1', 'IPv6', 1n, '::1'],
    ['2001:DB8::1', 'IPv6', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'IPv6', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 'IPv6', 0x20010db8000000000001000000000001n, '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', 'IPv6', 0x20010000000000010000000000000001n, '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', 'IPv6', 0x20010db8000000010001000100010001n, '2001:db8:0:1:1:1:1:1'],
    ['1::', 'IPv6', 1n << 112n, '1::'],
    ['fe80::', 'IPv6', 0xfe80n << 112n, 'fe80::'],
    ['::ffff:192.0.2.1', 'IPv6', 0xffffc0000201n, '::ffff:192.0.2.1'],
    ['::ffff:c000:201', 'IPv6', 0xffffc0000201n, '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', 'IPv6', 0x0064ff9b0000000000000000c0000221n, '64:ff9b::c000:221'],
    ['fc00:270:154:0:8100::4', 'IPv6', 0xfc000270015400008100000000000004n, 'fc00:270:154:0:8100::4'],
  ] as const)('%s is %s %d, canonically %s', (text, family, value, canonical) => {
    expect(parse(text)).toEqual({ family, value });
    expect(formatAddress({ family, value })).toBe(canonical);
  });

  it.each([
    ['', '"" is not a valid IP address'],
    ['192.0.2', '"192.0.2" is not a valid IP address'],
    ['192.0.2.256', '"192.0.2.256" is not a valid IP address'],
    ['192.0.2.01', '"192.0.2.01" is not a valid IP address'],
    ['192.0.2.1.5', '"192.0.2.1.5" is not a valid IP address'],
    ['192.0..1', '"192.0..1" is not a valid IP address'],
    ['a.b.c.d', '"a.b.c.d" is not a valid IP address'],
    ['1:2:3:4:5:6:7:8:9', '"1:2:3:4:5:6:7:8:9" is not a valid IPv6 address'],
    ['1::2::3', '"1::2::3" is not a valid IPv6 address'],
    ['12345::', '"12345::" is not a valid IPv6 address'],
    ['1:2:3:4:5:6:7', '"1:2:3:4:5:6:7" is not a valid IPv6 address'],
    ['1:2:3:4:5:6:7:8::', '"1:2:3:4:5:6:7:8::" is not a valid IPv6 address'],
    ['fe80::1%eth0', '"fe80::1%eth0" is not a valid IPv6 address'],
    ['::ffff:192.0.2.300', '"::ffff:192.0.2.300" is not a valid IPv6 address'],
    [':1', '":1" is not a valid IPv6 address'],
    ['g::1', '"g::1" is not a valid IPv6 address'],
  ])('rejects %j', (text, error) => {
    expect(parseAddress(text)).toEqual({ ok: false, error: { code: 'InvalidAddress', message: error } });
  });

  it('formats every IPv6 value so that it parses back to itself', () => {
    const word = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
        const value = words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
        const text = formatAddress({ family: 'IPv6', value });
        expect(parse(text)).toEqual({ family: 'IPv6', value });
        // RFC 5952: lower case, no leading zeros, at most one "::", never "::" for a single zero word.
        expect(text).toMatch(/^[0-9a-f:.]+$/);
        expect(text.split('::').length).toBeLessThanOrEqual(2);
        expect(text).not.toMatch(/(^|:)0[0-9a-f]/);
      }),
    );
  });

  it('formats every IPv4 value so that it parses back to itself', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffffffn }), (value) => {
        expect(parse(formatAddress({ family: 'IPv4', value }))).toEqual({ family: 'IPv4', value });
      }),
    );
  });
});
