import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.ts';
import { percentUsed, POOL_TABLE_HEADER, poolTableRows, poolUsage } from './pool-usage.ts';
import { serviceView } from './service-view.ts';
import { group, service } from './testing/cluster-objects.ts';

const groups = [
  group(
    'main',
    {
      avoidBuggyIPs: true,
      v4pools: [
        { pool: '192.0.2.0/29', subnet: '192.0.2.0/29', exclude: ['192.0.2.3'] },
        { pool: '198.51.100.10-198.51.100.20', subnet: '198.51.100.0/24' },
      ],
      v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }],
    },
    { ready: 'True', reason: 'Valid' },
  ),
  group(
    'broken',
    { v4pools: [{ pool: '203.0.113.1-203.0.113.9', subnet: '198.51.100.0/24' }] },
    { ready: 'False', reason: 'InvalidPool' },
  ),
];
const services = [
  service('a', {
    annotations: { 'purelb.io/service-group': 'main', 'purelb.io/allocated-from': 'main' },
    ingress: ['192.0.2.1', '2001:db8::1'],
  }),
  service('b', { annotations: { 'purelb.io/allocated-from': 'main' }, ingress: ['198.51.100.12'] }),
  // A Service of another class: its address is not PureLB's.
  service('c', { loadBalancerClass: 'example.com/lb', ingress: ['192.0.2.2'] }),
].map(serviceView);

describe('poolUsage', () => {
  it('counts per pool what the Services hold, exactly, with what each pool keeps back', () => {
    expect(poolUsage(groups, services)).toEqual([
      {
        group: 'broken',
        ready: 'False',
        reason: 'InvalidPool',
        problem: expect.stringMatching(
          /^InvalidPool: spec\.local\.v4pools\[0\]\.pool: pool 203\.0\.113\.1-203\.0\.113\.9 is not inside subnet/,
        ) as unknown,
        pools: [],
      },
      {
        group: 'main',
        ready: 'True',
        reason: 'Valid',
        problem: undefined,
        pools: [
          {
            family: 'IPv4',
            pool: '192.0.2.0/29',
            keptBack: 'avoidBuggyIPs, exclude 1',
            capacity: '5',
            inUse: '1',
            available: '4',
          },
          {
            family: 'IPv4',
            pool: '198.51.100.10-198.51.100.20',
            keptBack: 'avoidBuggyIPs',
            capacity: '11',
            inUse: '1',
            available: '10',
          },
          {
            family: 'IPv6',
            pool: '2001:db8::/64',
            keptBack: 'avoidBuggyIPs',
            capacity: '18446744073709551615',
            inUse: '1',
            available: '18446744073709551614',
          },
        ],
      },
    ]);
  });

  it('prints human counts in the table, exact ones in -o wide', () => {
    const usage = poolUsage(groups, services);
    expect(formatTable(POOL_TABLE_HEADER, poolTableRows(usage, { exact: false })).split('\n')).toEqual([
      'GROUP    READY   REASON        FAMILY   POOL                          IN USE   CAPACITY   FREE    USED    KEPT BACK',
      'broken   False   InvalidPool   -        -                             -        -          -       -',
      'main     True    Valid         IPv4     192.0.2.0/29                  1        5          4       20.0%   avoidBuggyIPs, exclude 1',
      'main     True    Valid         IPv4     198.51.100.10-198.51.100.20   1        11         10      9.0%    avoidBuggyIPs',
      'main     True    Valid         IPv6     2001:db8::/64                 1        18.4E      18.4E   <0.1%   avoidBuggyIPs',
    ]);
    expect(poolTableRows(usage, { exact: true })[3]?.slice(5, 8)).toEqual([
      '1',
      '18446744073709551615',
      '18446744073709551614',
    ]);
  });

  it('says how full a pool is without rounding a full pool down or a used one to zero', () => {
    expect([
      percentUsed('0', '4'),
      percentUsed('4', '4'),
      percentUsed('1', '3'),
      percentUsed('1', '18446744073709551616'),
      percentUsed('0', '0'),
    ]).toEqual(['0.0%', '100%', '33.3%', '<0.1%', '-']);
  });
});
