// ServiceGroup conformance cases: what is valid on its face, a group as a whole, and one pool.
import type { Case } from './servicegroup-meanings.ts';
import { legacy, no, ok, V4, v4, V4P, V6, v6, V6P } from './servicegroup-meanings.ts';

export const GROUP_AND_POOL_CASES: readonly Case[] = [
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
];
