// The conformance table of ServiceGroup validation: for each spec, what the CRD (schema and CEL rules,
// deploy/crds/servicegroups.purelb.io.yaml) and `parseServiceGroupSpec` (@purelb/ipam-core) decide.
// Both must accept what is valid on its face, and reject the same faults at the same field with the
// same meaning. The few specs they knowingly decide differently are listed apart, each with why.

/** What a rejection means, whichever side words it. */
export type Meaning =
  | 'Required'
  | 'Forbidden'
  | 'NotAString'
  | 'TooLong'
  | 'TooMany'
  | 'NoPool'
  | 'PoolSyntax'
  | 'SubnetSyntax'
  | 'MixedFamilies'
  | 'Backwards'
  | 'WrongFamily'
  | 'AggregationSyntax'
  | 'AggregationRange'
  | 'OutsideSubnet'
  | 'Overlap'
  | 'NotABoolean'
  | 'NotAList'
  | 'TooManyExcluded'
  | 'ExcludeSyntax';

/** How each side says it: the API server's cause (reason, message) and ipam-core's error message. */
export const MEANINGS: Readonly<Record<Meaning, { readonly crd: RegExp; readonly core: RegExp }>> = {
  Required: { crd: /^FieldValueRequired: Required value/, core: /^required\b/ },
  Forbidden: {
    crd: /^FieldValueForbidden: Forbidden: /,
    core: /^(set either .* not both|the single-pool form .* cannot be combined|(aggregation|exclude) at this level belongs to the single-pool form)/,
  },
  NotAString: {
    crd: /^FieldValueTypeInvalid: Invalid value: "\w+": .* must be of type string/,
    core: /^must be a string$/,
  },
  TooLong: { crd: /^FieldValueTooLong: Too long: may not be more than \d+ bytes/, core: /^must be at most \d+ bytes$/ },
  TooMany: {
    crd: /^FieldValueTooMany: Too many: \d+: must have at most 64 items/,
    core: /^must have at most 64 pools$/,
  },
  NoPool: {
    crd: /^FieldValueRequired: Required value: a group needs at least one pool/,
    core: /^the group has no pool$/,
  },
  PoolSyntax: {
    crd: /^FieldValueInvalid: Invalid value: .*: must be a CIDR .* or a range of two addresses/,
    core: /is not a valid address range or CIDR/,
  },
  SubnetSyntax: { crd: /^FieldValueInvalid: Invalid value: .*: must be a CIDR \(/, core: /is not a valid CIDR/ },
  MixedFamilies: {
    crd: /^FieldValueInvalid: Invalid value: .*: a range must not mix IPv4 and IPv6 addresses$/,
    core: /^range mixes IPv4 and IPv6/,
  },
  Backwards: {
    crd: /^FieldValueInvalid: Invalid value: .*: the range starts after it ends/,
    core: /^range start .* is after its end/,
  },
  WrongFamily: {
    crd: /^FieldValueInvalid: Invalid value: (.*: must be IPv[46] \(|subnet ".*" and pool ".*" are of different IP families)/,
    core: /is IPv[46] but (is listed under|the pool is)/,
  },
  AggregationSyntax: {
    crd: /^FieldValueInvalid: Invalid value: .*: must be "default" or "\/N"$/,
    core: /^aggregation must be "default" or "\/N"/,
  },
  AggregationRange: {
    crd: /^FieldValueInvalid: Invalid value: .*(must be from \/8 to \/(32|128) for IPv[46]|must be from \/8 to \/32 for an IPv4 subnet)$/,
    core: /^aggregation must be "default" or "\/N" with N from 8 to (32|128)/,
  },
  NotABoolean: {
    crd: /^FieldValueTypeInvalid: Invalid value: "\w+": .* must be of type boolean/,
    core: /^must be a boolean$/,
  },
  NotAList: { crd: /^FieldValueTypeInvalid: Invalid value: "\w+": .* must be of type array/, core: /^must be a list$/ },
  TooManyExcluded: {
    crd: /^FieldValueTooMany: Too many: \d+: must have at most 16 items/,
    core: /^must have at most 16 entries$/,
  },
  ExcludeSyntax: {
    crd: /^FieldValueInvalid: Invalid value: .*: must be an address, a CIDR or a range of two addresses/,
    core: /is not a valid address,? range or CIDR/,
  },
  // Never said by the API server: these need more than one field (see the core-only cases).
  OutsideSubnet: { crd: /(?!)/, core: /is not inside subnet/ },
  Overlap: { crd: /(?!)/, core: /overlaps|contains|is inside|is the same/ },
};

export type Verdict =
  /** Valid on its face: both accept. */
  | { readonly kind: 'accepted' }
  /** Both reject, at `path` (among others they may find), meaning the same. */
  | { readonly kind: 'rejected'; readonly path: string; readonly meaning: Meaning }
  /** The API server accepts; ipam-core rejects, for the reason given (the allocator reports it on `Ready`). */
  | { readonly kind: 'core-only'; readonly path: string; readonly meaning: Meaning; readonly why: string };

export interface Case {
  readonly name: string;
  /** The ServiceGroup's `spec` (undefined: the object has none). */
  readonly spec: unknown;
  readonly verdict: Verdict;
}

const V4 = '192.0.2.0/24';
const V6 = '2001:db8::/64';
const ok: Verdict = { kind: 'accepted' };
const no = (path: string, meaning: Meaning): Verdict => ({ kind: 'rejected', path, meaning });
const v4 = (pool: string, extra: Record<string, unknown> = {}): unknown => ({
  local: { v4pools: [{ pool, subnet: V4, ...extra }] },
});
const v6 = (pool: string, extra: Record<string, unknown> = {}): unknown => ({
  local: { v6pools: [{ pool, subnet: V6, ...extra }] },
});
const legacy = (local: Record<string, unknown>): unknown => ({ local });
const V4P = 'spec.local.v4pools[0]';
const V6P = 'spec.local.v6pools[0]';

export const CASES: readonly Case[] = [
  // valid on its face
  {
    name: 'the example of the spec',
    spec: {
      local: {
        v4pools: [{ pool: '192.168.10.240-192.168.10.243', subnet: '192.168.10.0/24', aggregation: 'default' }],
        v6pools: [{ pool: 'fc00:270:154:0:8100::4/64', subnet: 'fc00:270:154::/64' }],
      },
    },
    verdict: ok,
  },
  {
    name: 'singular v4pool and v6pool',
    spec: { local: { v4pool: { pool: V4, subnet: V4 }, v6pool: { pool: V6, subnet: V6, aggregation: '/128' } } },
    verdict: ok,
  },
  {
    name: 'legacy IPv4 range with /32',
    spec: legacy({ pool: '192.0.2.10-192.0.2.20', subnet: V4, aggregation: '/32' }),
    verdict: ok,
  },
  {
    name: 'legacy IPv6 range with /33',
    spec: legacy({ pool: '2001:db8::10-2001:db8::20', subnet: V6, aggregation: '/33' }),
    verdict: ok,
  },
  { name: 'legacy CIDR without aggregation', spec: legacy({ pool: V4, subnet: V4 }), verdict: ok },
  { name: 'a range of one address, blanks around "-"', spec: v4('192.0.2.10 - 192.0.2.10'), verdict: ok },
  { name: 'blanks around a range', spec: v4(' 192.0.2.1-192.0.2.9 '), verdict: ok },
  { name: 'a range ordered by address, not by text', spec: v4('192.0.2.99-192.0.2.100'), verdict: ok },
  { name: 'an IPv6 range in capitals', spec: v6('2001:DB8::A-2001:db8::b'), verdict: ok },
  { name: 'a CIDR pool that starts at its written address', spec: v6('2001:db8::4/64'), verdict: ok },
  {
    name: 'an IPv6 range with an embedded IPv4 end, in order',
    spec: { local: { v6pools: [{ pool: '::192.0.2.1-::192.0.2.9', subnet: '::/96' }] } },
    verdict: ok,
  },
  {
    name: 'aggregation /8 and /32 for IPv4',
    spec: {
      local: {
        v4pools: [
          { pool: '192.0.2.0/25', subnet: V4, aggregation: '/8' },
          { pool: '192.0.2.128/25', subnet: V4, aggregation: '/32' },
        ],
      },
    },
    verdict: ok,
  },
  {
    name: 'aggregation /8 and /128 for IPv6',
    spec: {
      local: {
        v6pools: [
          { pool: '2001:db8::/65', subnet: V6, aggregation: '/8' },
          { pool: '2001:db8::8000:0:0:0/65', subnet: V6, aggregation: '/128' },
        ],
      },
    },
    verdict: ok,
  },
  {
    name: 'IPv6 groups written with leading zeros',
    spec: { local: { v6pools: [{ pool: '2001:0db8::1-2001:0db8::0009', subnet: '2001:0db8:0000::/64' }] } },
    verdict: ok,
  },
  {
    name: '64 pools in one family',
    spec: {
      local: { v4pools: Array.from({ length: 64 }, (_, i) => ({ pool: `192.0.2.${i}-192.0.2.${i}`, subnet: V4 })) },
    },
    verdict: ok,
  },

  {
    name: 'avoidBuggyIPs on the group and on a pool, exclude lists of every form',
    spec: {
      local: {
        avoidBuggyIPs: true,
        v4pools: [
          {
            pool: V4,
            subnet: V4,
            avoidBuggyIPs: false,
            exclude: ['192.0.2.7', '192.0.2.8/29', '192.0.2.20 - 192.0.2.29'],
          },
        ],
        v6pool: { pool: V6, subnet: V6, exclude: ['2001:db8::1', '2001:DB8::10-2001:db8::1f', '2001:db8::100/120'] },
      },
    },
    verdict: ok,
  },
  {
    name: 'a legacy pool with avoidBuggyIPs and exclude',
    spec: legacy({ pool: V4, subnet: V4, avoidBuggyIPs: true, exclude: ['192.0.2.1'] }),
    verdict: ok,
  },
  {
    name: '16 excluded entries',
    spec: v4(V4, { exclude: Array.from({ length: 16 }, (_, i) => `192.0.2.${i}`) }),
    verdict: ok,
  },

  // a group
  { name: 'no spec', spec: undefined, verdict: no('spec', 'Required') },
  { name: 'no spec.local', spec: {}, verdict: no('spec.local', 'Required') },
  { name: 'an empty group', spec: { local: {} }, verdict: no('spec.local', 'NoPool') },
  { name: 'empty pool lists', spec: { local: { v4pools: [], v6pools: [] } }, verdict: no('spec.local', 'NoPool') },
  {
    name: 'v4pool and v4pools together',
    spec: {
      local: { v4pool: { pool: V4, subnet: V4 }, v4pools: [{ pool: '198.51.100.0/24', subnet: '198.51.100.0/24' }] },
    },
    verdict: no('spec.local', 'Forbidden'),
  },
  {
    name: 'v6pool and v6pools together',
    spec: {
      local: { v6pool: { pool: V6, subnet: V6 }, v6pools: [{ pool: '2001:db8:1::/64', subnet: '2001:db8:1::/64' }] },
    },
    verdict: no('spec.local', 'Forbidden'),
  },
  {
    name: 'the legacy form with a list',
    spec: { local: { pool: V4, subnet: V4, v6pools: [{ pool: V6, subnet: V6 }] } },
    verdict: no('spec.local', 'Forbidden'),
  },
  { name: 'a legacy pool without subnet', spec: legacy({ pool: V4 }), verdict: no('spec.local.subnet', 'Required') },
  { name: 'a legacy subnet without pool', spec: legacy({ subnet: V4 }), verdict: no('spec.local.pool', 'Required') },
  {
    name: 'aggregation under local beside the lists',
    spec: { local: { aggregation: '/24', v4pools: [{ pool: V4, subnet: V4 }] } },
    verdict: no('spec.local.aggregation', 'Forbidden'),
  },
  {
    name: 'only an aggregation under local',
    spec: { local: { aggregation: '/24' } },
    verdict: no('spec.local.aggregation', 'Forbidden'),
  },
  {
    name: '65 pools in one family',
    spec: {
      local: { v4pools: Array.from({ length: 65 }, (_, i) => ({ pool: `192.0.2.${i}-192.0.2.${i}`, subnet: V4 })) },
    },
    verdict: no('spec.local.v4pools', 'TooMany'),
  },

  // a pool
  {
    name: 'a pool that is not a string',
    spec: { local: { v4pools: [{ pool: 24, subnet: V4 }] } },
    verdict: no(`${V4P}.pool`, 'NotAString'),
  },
  {
    name: 'a pool without subnet',
    spec: { local: { v4pools: [{ pool: V4 }] } },
    verdict: no(`${V4P}.subnet`, 'Required'),
  },
  { name: 'a bad CIDR', spec: v4('192.0.2.300/24'), verdict: no(`${V4P}.pool`, 'PoolSyntax') },
  { name: 'a CIDR with a blank after it', spec: v4('192.0.2.0/24 '), verdict: no(`${V4P}.pool`, 'PoolSyntax') },
  { name: 'a CIDR prefix with a leading zero', spec: v4('192.0.2.0/024'), verdict: no(`${V4P}.pool`, 'PoolSyntax') },
  { name: 'a bad range', spec: v4('192.0.2.1-192.0.2'), verdict: no(`${V4P}.pool`, 'PoolSyntax') },
  {
    name: 'a range of three addresses',
    spec: v4('192.0.2.1-192.0.2.2-192.0.2.3'),
    verdict: no(`${V4P}.pool`, 'PoolSyntax'),
  },
  { name: 'a name instead of a pool', spec: v4('pool-a'), verdict: no(`${V4P}.pool`, 'PoolSyntax') },
  {
    name: 'an IPv4 octet with a leading zero',
    spec: v4('192.0.2.01-192.0.2.9'),
    verdict: no(`${V4P}.pool`, 'PoolSyntax'),
  },
  { name: 'an IPv6 zone', spec: v6('2001:db8::1%eth0-2001:db8::9'), verdict: no(`${V6P}.pool`, 'PoolSyntax') },
  {
    name: 'IPv4-mapped IPv6 ends',
    spec: { local: { v6pools: [{ pool: '::ffff:192.0.2.1-::ffff:192.0.2.9', subnet: '::/0' }] } },
    verdict: no(`${V6P}.pool`, 'PoolSyntax'),
  },
  {
    name: 'a pool over 100 bytes',
    spec: v4(`192.0.2.1${' '.repeat(90)}-192.0.2.2`),
    verdict: no(`${V4P}.pool`, 'TooLong'),
  },
  { name: 'an IPv4 range from > to', spec: v4('192.0.2.20-192.0.2.10'), verdict: no(`${V4P}.pool`, 'Backwards') },
  {
    name: 'an IPv4 range from > to across an octet',
    spec: v4('192.0.3.0 - 192.0.2.255'),
    verdict: no(`${V4P}.pool`, 'Backwards'),
  },
  {
    name: 'an IPv6 range from > to',
    spec: v6('2001:db8::1:0-2001:db8::ffff'),
    verdict: no(`${V6P}.pool`, 'Backwards'),
  },
  {
    name: 'an IPv6 range from > to, "::" at the end',
    spec: v6('2001:db8::1-2001:db8::'),
    verdict: no(`${V6P}.pool`, 'Backwards'),
  },
  {
    name: 'a legacy range from > to',
    spec: legacy({ pool: '1::-::ffff', subnet: '::/0' }),
    verdict: no('spec.local.pool', 'Backwards'),
  },
  {
    name: 'a range of mixed families in v4pools',
    spec: v4('192.0.2.1-2001:db8::1'),
    verdict: no(`${V4P}.pool`, 'MixedFamilies'),
  },
  {
    name: 'a range of mixed families in v6pools',
    spec: v6('2001:db8::1-192.0.2.1'),
    verdict: no(`${V6P}.pool`, 'MixedFamilies'),
  },
  {
    name: 'a range of mixed families in the legacy form',
    spec: legacy({ pool: '192.0.2.1-2001:db8::1', subnet: V4 }),
    verdict: no('spec.local.pool', 'MixedFamilies'),
  },
  { name: 'an IPv6 pool in v4pools', spec: v4('2001:db8::1-2001:db8::9'), verdict: no(`${V4P}.pool`, 'WrongFamily') },
  {
    name: 'an IPv4 pool in v6pool',
    spec: { local: { v6pool: { pool: V4, subnet: V6 } } },
    verdict: no('spec.local.v6pool.pool', 'WrongFamily'),
  },

  // what a pool keeps back
  {
    name: 'avoidBuggyIPs on the group as text',
    spec: { local: { avoidBuggyIPs: 'yes', v4pools: [{ pool: V4, subnet: V4 }] } },
    verdict: no('spec.local.avoidBuggyIPs', 'NotABoolean'),
  },
  {
    name: 'avoidBuggyIPs on a pool as a number',
    spec: v6(V6, { avoidBuggyIPs: 1 }),
    verdict: no(`${V6P}.avoidBuggyIPs`, 'NotABoolean'),
  },
  { name: 'exclude as one text', spec: v4(V4, { exclude: '192.0.2.1' }), verdict: no(`${V4P}.exclude`, 'NotAList') },
  { name: 'an excluded number', spec: v4(V4, { exclude: [7] }), verdict: no(`${V4P}.exclude[0]`, 'NotAString') },
  {
    name: '17 excluded entries',
    spec: v4(V4, { exclude: Array.from({ length: 17 }, (_, i) => `192.0.2.${i}`) }),
    verdict: no(`${V4P}.exclude`, 'TooManyExcluded'),
  },
  {
    name: 'an excluded entry over 100 bytes',
    spec: v4(V4, { exclude: [`192.0.2.1${' '.repeat(90)}-192.0.2.2`] }),
    verdict: no(`${V4P}.exclude[0]`, 'TooLong'),
  },
  {
    name: 'an excluded name',
    spec: v4(V4, { exclude: ['gateway'] }),
    verdict: no(`${V4P}.exclude[0]`, 'ExcludeSyntax'),
  },
  {
    name: 'an excluded address with a blank',
    spec: v4(V4, { exclude: ['192.0.2.1 '] }),
    verdict: no(`${V4P}.exclude[0]`, 'ExcludeSyntax'),
  },
  {
    name: 'an excluded IPv4-mapped address',
    spec: v6(V6, { exclude: ['::ffff:192.0.2.1'] }),
    verdict: no(`${V6P}.exclude[0]`, 'ExcludeSyntax'),
  },
  {
    name: 'an excluded CIDR /33',
    spec: v4(V4, { exclude: ['192.0.2.0/33'] }),
    verdict: no(`${V4P}.exclude[0]`, 'ExcludeSyntax'),
  },
  {
    name: 'an excluded range of mixed families',
    spec: v6(V6, { exclude: ['2001:db8::1-192.0.2.1'] }),
    verdict: no(`${V6P}.exclude[0]`, 'MixedFamilies'),
  },
  {
    name: 'an excluded IPv6 address in v4pools',
    spec: v4(V4, { exclude: ['2001:db8::1'] }),
    verdict: no(`${V4P}.exclude[0]`, 'WrongFamily'),
  },
  {
    name: 'an excluded IPv4 CIDR in v6pools',
    spec: v6(V6, { exclude: ['192.0.2.0/28'] }),
    verdict: no(`${V6P}.exclude[0]`, 'WrongFamily'),
  },
  {
    name: 'exclude under local beside the lists',
    spec: { local: { exclude: ['192.0.2.1'], v4pools: [{ pool: V4, subnet: V4 }] } },
    verdict: no('spec.local.exclude', 'Forbidden'),
  },

  // a subnet
  {
    name: 'a subnet /33',
    spec: { local: { v4pools: [{ pool: V4, subnet: '192.0.2.0/33' }] } },
    verdict: no(`${V4P}.subnet`, 'SubnetSyntax'),
  },
  {
    name: 'a subnet without prefix',
    spec: { local: { v4pools: [{ pool: V4, subnet: '192.0.2.0' }] } },
    verdict: no(`${V4P}.subnet`, 'SubnetSyntax'),
  },
  {
    name: 'a subnet with a blank before it',
    spec: { local: { v4pools: [{ pool: V4, subnet: ' 192.0.2.0/24' }] } },
    verdict: no(`${V4P}.subnet`, 'SubnetSyntax'),
  },
  {
    name: 'a subnet with a zone',
    spec: { local: { v6pools: [{ pool: V6, subnet: '2001:db8::%eth0/64' }] } },
    verdict: no(`${V6P}.subnet`, 'SubnetSyntax'),
  },
  {
    name: 'an IPv4-mapped subnet',
    spec: { local: { v6pools: [{ pool: '::1-::9', subnet: '::ffff:0:0/96' }] } },
    verdict: no(`${V6P}.subnet`, 'SubnetSyntax'),
  },
  {
    name: 'an IPv6 subnet in v4pools',
    spec: { local: { v4pools: [{ pool: V4, subnet: V6 }] } },
    verdict: no(`${V4P}.subnet`, 'WrongFamily'),
  },
  {
    name: 'an IPv4 subnet in v6pools',
    spec: { local: { v6pools: [{ pool: V6, subnet: V4 }] } },
    verdict: no(`${V6P}.subnet`, 'WrongFamily'),
  },
  {
    name: 'IPv6 pool and subnet in v4pools',
    spec: { local: { v4pools: [{ pool: V6, subnet: V6 }] } },
    verdict: no(`${V4P}.subnet`, 'WrongFamily'),
  },
  {
    name: 'a legacy subnet of the other family',
    spec: legacy({ pool: '192.0.2.1-192.0.2.9', subnet: V6 }),
    verdict: no('spec.local.subnet', 'WrongFamily'),
  },

  // an aggregation
  {
    name: 'aggregation /33 for IPv4',
    spec: v4(V4, { aggregation: '/33' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationRange'),
  },
  {
    name: 'aggregation /7 for IPv4',
    spec: v4(V4, { aggregation: '/7' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationRange'),
  },
  {
    name: 'aggregation /129 for IPv6',
    spec: v6(V6, { aggregation: '/129' }),
    verdict: no(`${V6P}.aggregation`, 'AggregationRange'),
  },
  {
    name: 'aggregation /7 for IPv6',
    spec: v6(V6, { aggregation: '/7' }),
    verdict: no(`${V6P}.aggregation`, 'AggregationRange'),
  },
  {
    name: 'a legacy IPv4 aggregation /33',
    spec: legacy({ pool: V4, subnet: V4, aggregation: '/33' }),
    verdict: no('spec.local.aggregation', 'AggregationRange'),
  },
  {
    name: 'aggregation as text',
    spec: v4(V4, { aggregation: 'wide' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationSyntax'),
  },
  {
    name: 'aggregation without "/"',
    spec: v4(V4, { aggregation: '24' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationSyntax'),
  },
  {
    name: 'aggregation with a leading zero',
    spec: v4(V4, { aggregation: '/024' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationSyntax'),
  },
  {
    name: 'aggregation "Default"',
    spec: v4(V4, { aggregation: 'Default' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationSyntax'),
  },
  {
    name: 'aggregation with a blank',
    spec: v4(V4, { aggregation: ' /24' }),
    verdict: no(`${V4P}.aggregation`, 'AggregationSyntax'),
  },
  {
    name: 'a legacy aggregation as text',
    spec: legacy({ pool: V4, subnet: V4, aggregation: 'wide' }),
    verdict: no('spec.local.aggregation', 'AggregationSyntax'),
  },

  // knowingly different: what needs more than one field, and the one gap of the CEL rules
  {
    name: 'a pool outside its subnet',
    spec: v4('198.51.100.0/28'),
    verdict: {
      kind: 'core-only',
      path: `${V4P}.pool`,
      meaning: 'OutsideSubnet',
      why: 'the CRD checks each field alone; the allocator reports it on Ready',
    },
  },
  {
    name: 'overlapping pools in one group',
    spec: {
      local: {
        v4pools: [
          { pool: '192.0.2.0/25', subnet: V4 },
          { pool: '192.0.2.100-192.0.2.200', subnet: V4 },
        ],
      },
    },
    verdict: {
      kind: 'core-only',
      path: 'spec.local.v4pools[1].pool',
      meaning: 'Overlap',
      why: 'comparing pools needs the whole group; the allocator reports it on Ready',
    },
  },
  {
    name: 'an excluded address outside the subnet',
    spec: v4(V4, { exclude: ['198.51.100.1'] }),
    verdict: {
      kind: 'core-only',
      path: `${V4P}.exclude[0]`,
      meaning: 'OutsideSubnet',
      why: 'the CRD checks each field alone; the allocator reports it on Ready',
    },
  },
  {
    name: 'an excluded range from > to',
    spec: v4(V4, { exclude: ['192.0.2.20-192.0.2.10'] }),
    verdict: {
      kind: 'core-only',
      path: `${V4P}.exclude[0]`,
      meaning: 'Backwards',
      why: 'the CEL order check costs too much to run on up to 64 × 16 entries; the allocator reports it on Ready',
    },
  },
  {
    name: 'a legacy excluded address of the other family',
    spec: legacy({ pool: V4, subnet: V4, exclude: ['2001:db8::1'] }),
    verdict: {
      kind: 'core-only',
      path: 'spec.local.exclude[0]',
      meaning: 'WrongFamily',
      why: 'the legacy form takes its family from its addresses, which one field cannot see; the allocator reports it on Ready',
    },
  },
  {
    name: 'an IPv6 range from > to with an embedded IPv4 end',
    spec: { local: { v6pools: [{ pool: '::192.0.2.9-::192.0.2.1', subnet: '::/96' }] } },
    verdict: {
      kind: 'core-only',
      path: `${V6P}.pool`,
      meaning: 'Backwards',
      why: 'the CEL order check skips IPv6 ends written with a dotted IPv4 part (known gap)',
    },
  },
];
