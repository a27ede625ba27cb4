import { describe, expect, it } from 'vitest';
import { formatAddress } from './address.ts';
import {
  formatCidr,
  formatRange,
  parseCidr,
  parsePool,
  rangeContains,
  rangeCovers,
  rangeSize,
  rangesOverlap,
} from './address-range.ts';
import type { AddressRange } from './address-range.ts';

const pool = (text: string): AddressRange => {
  const r = parsePool(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('parsePool', () => {
  it.each([
    ['192.0.2.10-192.0.2.20', '192.0.2.10-192.0.2.20', 11n],
    ['192.0.2.10 - 192.0.2.20', '192.0.2.10-192.0.2.20', 11n],
    ['  192.0.2.10 -192.0.2.10 ', '192.0.2.10-192.0.2.10', 1n],
    ['192.0.2.0/24', '192.0.2.0-192.0.2.255', 256n],
    ['192.0.2.240/28', '192.0.2.240-192.0.2.255', 16n],
    ['192.0.2.5/24', '192.0.2.5-192.0.2.255', 251n],
    ['192.0.2.7/32', '192.0.2.7-192.0.2.7', 1n],
    ['10.0.0.0/8', '10.0.0.0-10.255.255.255', 16777216n],
    ['2001:db8::/64', '2001:db8::-2001:db8::ffff:ffff:ffff:ffff', 18446744073709551616n],
    ['fc00:270:154:0:8100::4/64', 'fc00:270:154:0:8100::4-fc00:270:154:0:ffff:ffff:ffff:ffff', 0x7efffffffffffffcn],
    ['2001:db8::10 - 2001:db8::1f', '2001:db8::10-2001:db8::1f', 16n],
  ])('%j is %s (%d addresses)', (text, canonical, size) => {
    const range = pool(text);
    expect(formatRange(range)).toBe(canonical);
    expect(rangeSize(range)).toBe(size);
  });

  it.each([
    ['192.0.2.20-192.0.2.10', 'range start 192.0.2.20 is after its end 192.0.2.10'],
    ['2001:db8::2-2001:db8::1', 'range start 2001:db8::2 is after its end 2001:db8::1'],
    ['192.0.2.1-2001:db8::1', 'range mixes IPv4 and IPv6 (192.0.2.1, 2001:db8::1)'],
    ['192.0.2.1', '"192.0.2.1" is not a valid address range or CIDR'],
    ['192.0.2.1-', '"192.0.2.1-" is not a valid address range or CIDR'],
    ['192.0.2.1-192.0.2.5-192.0.2.9', '"192.0.2.1-192.0.2.5-192.0.2.9" is not a valid address range or CIDR'],
    ['192.0.2.0/33', '"192.0.2.0/33" is not a valid address range or CIDR'],
    ['192.0.2.0/', '"192.0.2.0/" is not a valid address range or CIDR'],
    ['192.0.2.0/08', '"192.0.2.0/08" is not a valid address range or CIDR'],
    ['2001:db8::/129', '"2001:db8::/129" is not a valid address range or CIDR'],
    ['', '"" is not a valid address range or CIDR'],
  ])('rejects %j: %s', (text, error) => {
    expect(parsePool(text)).toEqual({ ok: false, error: { code: 'InvalidPool', message: error } });
  });
});

describe('parseCidr', () => {
  it.each([
    ['192.0.2.0/24', '192.0.2.0/24', '192.0.2.0', '192.0.2.255'],
    ['192.0.2.77/24', '192.0.2.0/24', '192.0.2.0', '192.0.2.255'],
    ['0.0.0.0/0', '0.0.0.0/0', '0.0.0.0', '255.255.255.255'],
    ['2001:db8:1:2::9/64', '2001:db8:1:2::/64', '2001:db8:1:2::', '2001:db8:1:2:ffff:ffff:ffff:ffff'],
    ['::/0', '::/0', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('%s is the block %s', (text, canonical, first, last) => {
    const r = parseCidr(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(formatCidr(r.value)).toBe(canonical);
    expect(formatAddress({ family: r.value.family, value: r.value.first })).toBe(first);
    expect(formatAddress({ family: r.value.family, value: r.value.last })).toBe(last);
  });

  it.each(['192.0.2.0', '192.0.2.0/24/1', 'x/24', '192.0.2.0/-1', '2001:db8::/x'])('rejects %j', (text) => {
    expect(parseCidr(text)).toEqual({
      ok: false,
      error: { code: 'InvalidCidr', message: `"${text}" is not a valid CIDR` },
    });
  });
});

describe('range relations', () => {
  const a = pool('192.0.2.10-192.0.2.20');
  it.each([
    ['192.0.2.0-192.0.2.9', false, false, false],
    ['192.0.2.0-192.0.2.10', true, false, false],
    ['192.0.2.12-192.0.2.14', true, true, false],
    ['192.0.2.10-192.0.2.20', true, true, true],
    ['192.0.2.0-192.0.2.255', true, false, true],
    ['192.0.2.20-192.0.2.30', true, false, false],
    ['192.0.2.21-192.0.2.30', false, false, false],
    ['::-::ffff', false, false, false],
  ])('%s: overlaps %s, inside %s, contains %s', (text, overlaps, inside, contains) => {
    const b = pool(text);
    expect(rangesOverlap(a, b)).toBe(overlaps);
    expect(rangesOverlap(b, a)).toBe(overlaps);
    expect(rangeCovers(a, b)).toBe(inside);
    expect(rangeCovers(b, a)).toBe(contains);
  });

  it('contains exactly its own addresses', () => {
    expect(rangeContains(a, { family: 'IPv4', value: a.first - 1n })).toBe(false);
    expect(rangeContains(a, { family: 'IPv4', value: a.first })).toBe(true);
    expect(rangeContains(a, { family: 'IPv4', value: a.last })).toBe(true);
    expect(rangeContains(a, { family: 'IPv4', value: a.last + 1n })).toBe(false);
    expect(rangeContains(a, { family: 'IPv6', value: a.first })).toBe(false);
  });
});
