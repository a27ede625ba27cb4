import { describe, expect, it } from 'vitest';
import { parseCidr } from './address-range.ts';
import { aggregationPrefixLength, parseAggregation } from './aggregation.ts';
import type { IpFamily } from './address.ts';

describe('parseAggregation', () => {
  it.each([
    [undefined, 'IPv4', { kind: 'default' }],
    ['default', 'IPv6', { kind: 'default' }],
    ['/8', 'IPv4', { kind: 'prefix', prefixLength: 8 }],
    ['/32', 'IPv4', { kind: 'prefix', prefixLength: 32 }],
    ['/128', 'IPv6', { kind: 'prefix', prefixLength: 128 }],
    ['/64', 'IPv6', { kind: 'prefix', prefixLength: 64 }],
  ] as const)('%j for %s', (text, family, value) => {
    expect(parseAggregation(text, family)).toEqual({ ok: true, value });
  });

  it.each([
    ['/7', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got "/7")'],
    ['/33', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got "/33")'],
    ['/129', 'IPv6', 'aggregation must be "default" or "/N" with N from 8 to 128 (got "/129")'],
    ['24', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got "24")'],
    ['/', 'IPv6', 'aggregation must be "default" or "/N" with N from 8 to 128 (got "/")'],
    ['Default', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got "Default")'],
    ['/1e1', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got "/1e1")'],
    [' default ', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got " default ")'],
    [' /24', 'IPv4', 'aggregation must be "default" or "/N" with N from 8 to 32 (got " /24")'],
    ['/024', 'IPv6', 'aggregation must be "default" or "/N" with N from 8 to 128 (got "/024")'],
  ] as const)('rejects %j for %s', (text, family: IpFamily, error) => {
    expect(parseAggregation(text, family)).toEqual({
      ok: false,
      error: { code: 'InvalidAggregation', message: error },
    });
  });
});

describe('aggregationPrefixLength', () => {
  const subnet = parseCidr('192.0.2.0/24');
  if (!subnet.ok) throw new Error(subnet.error.message);
  it('uses the subnet prefix length for default', () => {
    expect(aggregationPrefixLength({ kind: 'default' }, subnet.value)).toBe(24);
  });
  it('uses N for /N', () => {
    expect(aggregationPrefixLength({ kind: 'prefix', prefixLength: 32 }, subnet.value)).toBe(32);
  });
});
