import { describe, expect, it } from 'vitest';
import { parsePool } from './address-range.ts';
import { formatCount, formatRangeCompact, formatUsage } from './format-count.ts';

describe('formatCount', () => {
  it.each([
    [0n, '0'],
    [254n, '254'],
    [9999n, '9999'],
    [10_000n, '10.0k'],
    [65_534n, '65.5k'],
    [254_999n, '254k'],
    [1_048_576n, '1.04M'],
    [4_294_967_296n, '4.29G'],
    [18_446_744_073_709_551_616n, '18.4E'],
    [18_446_744_073_709_551_615n, '18.4E'],
    [1n << 96n, '79.2R'],
    [1n << 128n, '3.40e38'],
  ])('%s → %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
    expect(text.length).toBeLessThanOrEqual(7);
  });

  it('never rounds a count up', () => {
    expect(formatCount(99_999n)).toBe('99.9k');
    expect(formatCount(999_999n)).toBe('999k');
  });

  it('formats usage as used/capacity', () => {
    expect(formatUsage(3n, 254n)).toBe('3/254');
    expect(formatUsage(1n, 1n << 64n)).toBe('1/18.4E');
  });
});

describe('formatRangeCompact', () => {
  it.each([
    ['2001:db8::/64', '2001:db8::/64'],
    ['2001:db8::4/64', '2001:db8::4-2001:db8::ffff:ffff:ffff:ffff'],
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['192.0.2.0-192.0.2.255', '192.0.2.0/24'],
    ['192.0.2.10-192.0.2.20', '192.0.2.10-192.0.2.20'],
    ['192.0.2.8-192.0.2.15', '192.0.2.8/29'],
    ['192.0.2.7-192.0.2.7', '192.0.2.7'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['::/0', '::/0'],
  ])('%s → %s', (pool, text) => {
    const parsed = parsePool(pool);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(formatRangeCompact(parsed.value)).toBe(text);
  });
});
