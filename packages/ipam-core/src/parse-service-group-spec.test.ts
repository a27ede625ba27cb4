import { describe, expect, it } from 'vitest';
import { formatCidr, formatRange } from './address-range.ts';
import { parseServiceGroupSpec } from './parse-service-group-spec.ts';
import { formatGroupErrors } from './service-group.ts';
import type { ServiceGroup } from './service-group.ts';

const V4 = { pool: '192.0.2.10-192.0.2.20', subnet: '192.0.2.0/24' };
const V6 = { pool: '2001:db8::4/64', subnet: '2001:db8::/64' };

/** The pools of a valid group as `path pool subnet aggregation` lines. */
function describeGroup(group: ServiceGroup): string[] {
  return [...group.v4pools, ...group.v6pools].map((p) => {
    const aggregation = p.aggregation.kind === 'default' ? 'default' : `/${p.aggregation.prefixLength}`;
    return `${p.path} ${formatRange(p.range)} ${formatCidr(p.subnet)} ${aggregation}`;
  });
}

describe('parseServiceGroupSpec: accepted forms', () => {
  it.each([
    [
      'lists of both families',
      {
        local: {
          v4pools: [V4, { pool: '198.51.100.0/30', subnet: '198.51.100.0/24', aggregation: '/32' }],
          v6pools: [V6],
        },
      },
      [
        'spec.local.v4pools[0] 192.0.2.10-192.0.2.20 192.0.2.0/24 default',
        'spec.local.v4pools[1] 198.51.100.0-198.51.100.3 198.51.100.0/24 /32',
        'spec.local.v6pools[0] 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff 2001:db8::/64 default',
      ],
    ],
    [
      'singular pools',
      { local: { v4pool: { ...V4, aggregation: 'default' }, v6pool: { ...V6, aggregation: '/128' } } },
      [
        'spec.local.v4pool 192.0.2.10-192.0.2.20 192.0.2.0/24 default',
        'spec.local.v6pool 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff 2001:db8::/64 /128',
      ],
    ],
    [
      'legacy IPv4',
      { local: { pool: '192.0.2.10 - 192.0.2.20', subnet: '192.0.2.0/24', aggregation: '/24' } },
      ['spec.local 192.0.2.10-192.0.2.20 192.0.2.0/24 /24'],
    ],
    [
      'legacy IPv6',
      { local: { ...V6 } },
      ['spec.local 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff 2001:db8::/64 default'],
    ],
    [
      'a singular pool for one family, a list for the other',
      { local: { v6pools: [V6], v4pool: { pool: '192.0.2.40/32', subnet: '192.0.2.0/24' } } },
      [
        'spec.local.v4pool 192.0.2.40-192.0.2.40 192.0.2.0/24 default',
        'spec.local.v6pools[0] 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff 2001:db8::/64 default',
      ],
    ],
    [
      'blanks around a range',
      { local: { v4pools: [{ pool: ' 192.0.2.10-192.0.2.20 ', subnet: '192.0.2.0/24' }] } },
      ['spec.local.v4pools[0] 192.0.2.10-192.0.2.20 192.0.2.0/24 default'],
    ],
    [
      'null aggregation means default',
      { local: { v4pools: [{ ...V4, aggregation: null }] } },
      ['spec.local.v4pools[0] 192.0.2.10-192.0.2.20 192.0.2.0/24 default'],
    ],
  ])('%s', (_name, spec, pools) => {
    const r = parseServiceGroupSpec('g', spec);
    if (!r.ok) throw new Error(formatGroupErrors(r.errors));
    expect(r.value.name).toBe('g');
    expect(describeGroup(r.value)).toEqual(pools);
  });
});

describe('parseServiceGroupSpec: every error, located', () => {
  it.each([
    ['spec is not an object', 'nope', ['spec: must be an object']],
    ['spec is null', null, ['spec: required']],
    ['no local', {}, ['spec.local: required (no other pool type is supported)']],
    [
      'external IPAM only',
      { netbox: { url: 'http://192.0.2.1' } },
      ['spec.local: required (no other pool type is supported)'],
    ],
    ['local is a list', { local: [] }, ['spec.local: must be an object']],
    ['no pool at all', { local: {} }, ['spec.local: the group has no pool']],
    ['empty lists', { local: { v4pools: [], v6pools: [] } }, ['spec.local: the group has no pool']],
    ['v4pools is not a list', { local: { v4pools: V4 } }, ['spec.local.v4pools: must be a list']],
    [
      'entry is not an object',
      { local: { v6pools: ['2001:db8::/64'] } },
      ['spec.local.v6pools[0]: must be an object with pool and subnet'],
    ],
    [
      'pool and subnet missing',
      { local: { v4pools: [{}] } },
      ['spec.local.v4pools[0].pool: required', 'spec.local.v4pools[0].subnet: required'],
    ],
    [
      'pool is a number',
      { local: { v4pools: [{ pool: 7, subnet: '192.0.2.0/24' }] } },
      ['spec.local.v4pools[0].pool: must be a string'],
    ],
    [
      'aggregation is a number',
      { local: { v4pools: [{ ...V4, aggregation: 24 }] } },
      ['spec.local.v4pools[0].aggregation: must be a string'],
    ],
    [
      'unparseable pool',
      { local: { v4pools: [V4, { pool: '192.0.2.300-192.0.2.301', subnet: '192.0.2.0/24' }] } },
      ['spec.local.v4pools[1].pool: "192.0.2.300-192.0.2.301" is not a valid address range or CIDR'],
    ],
    [
      'from > to',
      { local: { v4pools: [{ pool: '192.0.2.20-192.0.2.10', subnet: '192.0.2.0/24' }] } },
      ['spec.local.v4pools[0].pool: range start 192.0.2.20 is after its end 192.0.2.10'],
    ],
    [
      'mixed families in a range',
      { local: { v6pools: [{ pool: '2001:db8::1-192.0.2.1', subnet: '2001:db8::/64' }] } },
      ['spec.local.v6pools[0].pool: range mixes IPv4 and IPv6 (2001:db8::1, 192.0.2.1)'],
    ],
    [
      'unparseable subnet',
      { local: { v4pools: [{ pool: '192.0.2.10-192.0.2.20', subnet: '192.0.2.0' }] } },
      ['spec.local.v4pools[0].subnet: "192.0.2.0" is not a valid CIDR'],
    ],
    [
      'IPv6 pool under v4pools',
      { local: { v4pools: [V6] } },
      [
        'spec.local.v4pools[0].pool: pool 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff is IPv6 but is listed under v4pools',
        'spec.local.v4pools[0].subnet: subnet 2001:db8::/64 is IPv6 but is listed under v4pools',
      ],
    ],
    [
      'IPv4 pool as v6pool',
      { local: { v6pool: V4 } },
      [
        'spec.local.v6pool.pool: pool 192.0.2.10-192.0.2.20 is IPv4 but is listed under v6pool',
        'spec.local.v6pool.subnet: subnet 192.0.2.0/24 is IPv4 but is listed under v6pool',
      ],
    ],
    [
      'subnet of the other family',
      { local: { pool: '192.0.2.10-192.0.2.20', subnet: '2001:db8::/64' } },
      ['spec.local.subnet: subnet 2001:db8::/64 is IPv6 but the pool is IPv4'],
    ],
    [
      'pool outside its subnet',
      { local: { v4pools: [{ pool: '192.0.2.250-192.0.3.5', subnet: '192.0.2.0/24' }] } },
      ['spec.local.v4pools[0].pool: pool 192.0.2.250-192.0.3.5 is not inside subnet 192.0.2.0/24'],
    ],
    [
      'CIDR pool larger than its subnet',
      { local: { v6pools: [{ pool: '2001:db8::/48', subnet: '2001:db8::/64' }] } },
      [
        'spec.local.v6pools[0].pool: pool 2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff is not inside subnet 2001:db8::/64',
      ],
    ],
    [
      'bad IPv4 aggregation',
      { local: { v4pools: [{ ...V4, aggregation: '/33' }] } },
      ['spec.local.v4pools[0].aggregation: aggregation must be "default" or "/N" with N from 8 to 32 (got "/33")'],
    ],
    [
      'bad IPv6 aggregation',
      { local: { v6pools: [{ ...V6, aggregation: '/7' }] } },
      ['spec.local.v6pools[0].aggregation: aggregation must be "default" or "/N" with N from 8 to 128 (got "/7")'],
    ],
    [
      'overlapping pools',
      { local: { v4pools: [V4, { pool: '192.0.2.15-192.0.2.25', subnet: '192.0.2.0/24' }] } },
      [
        'spec.local.v4pools[1].pool: pool 192.0.2.15-192.0.2.25 overlaps pool 192.0.2.10-192.0.2.20 (spec.local.v4pools[0].pool)',
      ],
    ],
    [
      'a pool inside another',
      { local: { v4pools: [V4, { pool: '192.0.2.12/31', subnet: '192.0.2.0/24' }] } },
      [
        'spec.local.v4pools[1].pool: pool 192.0.2.12-192.0.2.13 is inside pool 192.0.2.10-192.0.2.20 (spec.local.v4pools[0].pool)',
      ],
    ],
    [
      'a pool containing another',
      { local: { v4pools: [V4, { pool: '192.0.2.0/24', subnet: '192.0.2.0/24' }] } },
      [
        'spec.local.v4pools[1].pool: pool 192.0.2.0-192.0.2.255 contains pool 192.0.2.10-192.0.2.20 (spec.local.v4pools[0].pool)',
      ],
    ],
    [
      'the same pool twice',
      { local: { v6pools: [V6, V6] } },
      [
        'spec.local.v6pools[1].pool: pool 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff is the same as pool 2001:db8::4-2001:db8::ffff:ffff:ffff:ffff (spec.local.v6pools[0].pool)',
      ],
    ],
    [
      'v4pool and v4pools together',
      { local: { v4pool: V4, v4pools: [{ pool: '198.51.100.0/24', subnet: '198.51.100.0/24' }] } },
      ['spec.local: set either v4pool or v4pools, not both'],
    ],
    [
      'the legacy form beside a list',
      { local: { ...V4, v6pools: [V6] } },
      ['spec.local: the single-pool form (pool, subnet) cannot be combined with v4pool, v4pools, v6pool or v6pools'],
    ],
    [
      'aggregation under local without the legacy pool',
      { local: { aggregation: '/24', v4pools: [V4] } },
      ['spec.local.aggregation: aggregation at this level belongs to the single-pool form and needs pool and subnet'],
    ],
    [
      'only an aggregation under local',
      { local: { aggregation: '/24' } },
      [
        'spec.local.aggregation: aggregation at this level belongs to the single-pool form and needs pool and subnet',
        'spec.local: the group has no pool',
      ],
    ],
    [
      'more than 64 pools',
      {
        local: {
          v6pools: Array.from({ length: 65 }, (_, i) => ({
            pool: `2001:db8::${i.toString(16)}/128`,
            subnet: '2001:db8::/64',
          })),
        },
      },
      ['spec.local.v6pools: must have at most 64 pools'],
    ],
    [
      'blanks around a CIDR',
      { local: { v4pools: [{ pool: '192.0.2.0/24 ', subnet: ' 192.0.2.0/24' }] } },
      [
        'spec.local.v4pools[0].pool: "192.0.2.0/24 " is not a valid address range or CIDR (a CIDR takes no blanks around it)',
        'spec.local.v4pools[0].subnet: " 192.0.2.0/24" is not a valid CIDR (it takes no blanks around it)',
      ],
    ],
    [
      'IPv4-mapped IPv6 addresses',
      { local: { v6pools: [{ pool: '::ffff:192.0.2.1-::ffff:192.0.2.9', subnet: '::ffff:0:0/96' }] } },
      [
        'spec.local.v6pools[0].pool: "::ffff:192.0.2.1-::ffff:192.0.2.9" is not a valid address range or CIDR (IPv4-mapped IPv6 addresses are not allowed)',
        'spec.local.v6pools[0].subnet: "::ffff:0:0/96" is not a valid CIDR (IPv4-mapped IPv6 addresses are not allowed)',
      ],
    ],
    [
      'texts longer than the CRD allows',
      {
        local: {
          v4pools: [
            {
              pool: `192.0.2.1${' '.repeat(90)}-192.0.2.2`,
              subnet: `192.0.2.0/24`,
              aggregation: '/24'.padStart(17, '/'),
            },
          ],
        },
      },
      [
        'spec.local.v4pools[0].pool: must be at most 100 bytes',
        'spec.local.v4pools[0].aggregation: must be at most 16 bytes',
      ],
    ],
    [
      'several problems at once',
      { local: { v4pools: [{ pool: 'x', subnet: 'y', aggregation: 'z' }], v6pools: [{ pool: '2001:db8::/64' }] } },
      [
        'spec.local.v4pools[0].pool: "x" is not a valid address range or CIDR',
        'spec.local.v4pools[0].subnet: "y" is not a valid CIDR',
        'spec.local.v4pools[0].aggregation: aggregation must be "default" or "/N" with N from 8 to 32 (got "z")',
        'spec.local.v6pools[0].subnet: required',
      ],
    ],
  ])('%s', (_name, spec, errors) => {
    const r = parseServiceGroupSpec('g', spec);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(errors);
  });

  it('gives the code InvalidPool to problems of a pool and Overlap to overlaps', () => {
    const r = parseServiceGroupSpec('g', { local: { v4pools: [V4, V4, { pool: 'x', subnet: '192.0.2.0/24' }] } });
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(['InvalidPool', 'Overlap']);
  });
});
