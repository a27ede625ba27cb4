// ServiceGroup conformance cases: a pool's exclusions, its subnet, its aggregation, and the specs the
// API server and ipam-core knowingly decide differently.
import type { Case } from './servicegroup-meanings.ts';
import { legacy, no, V4, v4, V4P, V6, v6, V6P } from './servicegroup-meanings.ts';

export const FIELD_CASES: readonly Case[] = [
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
