import { describe, expect, it } from 'vitest';
import { groupsByName } from './objects-to-domain.ts';
import type { ServiceView } from './objects-to-domain.ts';
import { virtualPrefixLength } from './virtual-prefix.ts';

const groups = groupsByName([
  {
    metadata: { name: 'default' },
    spec: {
      local: {
        v4pools: [{ pool: '203.0.113.0-203.0.113.15', subnet: '203.0.113.0/24', aggregation: 'default' }],
        v6pools: [{ pool: '2001:db8:5::/64', subnet: '2001:db8:5::/64', aggregation: '/128' }],
      },
    },
  },
  {
    metadata: { name: 'agg' },
    spec: { local: { v4pools: [{ pool: '203.0.113.64/26', subnet: '203.0.113.0/24', aggregation: '/26' }] } },
  },
]);
const view = (group: string | undefined): ServiceView => ({
  key: 'ns/s',
  owned: true,
  addresses: [],
  group,
  poolType: 'local',
  trafficPolicy: 'Cluster',
  sharingKey: undefined,
  announcedBy: {},
});
const prefix = virtualPrefixLength(groups);

describe('virtualPrefixLength', () => {
  it.each<[string, string | undefined, string, number]>([
    ['default aggregation = the subnet prefix', 'default', '203.0.113.5', 24],
    ['an explicit aggregation', 'default', '2001:db8:5::9', 128],
    ['found in another group when the Service names none', undefined, '203.0.113.70', 26],
    ['found in another group when the named one lacks it', 'default', '203.0.113.70', 26],
    ['a host prefix outside every pool (IPv4)', 'default', '198.51.100.1', 32],
    ['a host prefix outside every pool (IPv6)', 'missing', '2001:db8:9::1', 128],
  ])('%s', (_, group, address, expected) => {
    expect(prefix(view(group), { family: address.includes(':') ? 'IPv6' : 'IPv4', address })).toBe(expected);
  });
});
