// Scenario tables: each scenario threads one allocation state through its steps.
import { describe, expect, it } from 'vitest';
import type { IpFamily } from './address.ts';
import type { AllocationRequest, AllocationResult, IpFamilyPolicy, PortSpec } from './allocation.ts';
import { createIpam } from './ipam.ts';
import type { Ipam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';

const GROUPS = validateServiceGroups([
  {
    name: 'default',
    createdAt: 1,
    spec: {
      local: {
        v4pools: [
          { pool: '192.0.2.10-192.0.2.12', subnet: '192.0.2.0/24' },
          { pool: '192.0.2.100/31', subnet: '192.0.2.0/24' },
        ],
        v6pools: [{ pool: '2001:db8::10-2001:db8::12', subnet: '2001:db8::/64' }],
      },
    },
  },
  {
    name: 'v4only',
    createdAt: 2,
    spec: { local: { v4pools: [{ pool: '198.51.100.0/30', subnet: '198.51.100.0/24' }] } },
  },
  {
    name: 'v6only',
    createdAt: 3,
    spec: { local: { v6pools: [{ pool: '2001:db8:1::/64', subnet: '2001:db8:1::/64' }] } },
  },
  {
    name: 'ordered',
    createdAt: 4,
    spec: {
      local: {
        v4pools: [
          { pool: '203.0.113.200/31', subnet: '203.0.113.0/24' },
          { pool: '203.0.113.50/31', subnet: '203.0.113.0/24' },
        ],
      },
    },
  },
  {
    name: 'broken',
    createdAt: 5,
    spec: { local: { v4pools: [{ pool: '203.0.113.0/24', subnet: '203.0.113.0/28' }] } },
  },
  {
    name: 'tiny6',
    createdAt: 6,
    spec: {
      local: {
        v4pools: [{ pool: '203.0.113.30/31', subnet: '203.0.113.0/24' }],
        v6pools: [{ pool: '2001:db8:2::1/128', subnet: '2001:db8:2::/64' }],
      },
    },
  },
]);

/** Short request: families `4`, `6`, `46`, `64`, `-` (none listed); ports as `TCP/80 UDP/53`. */
interface Req {
  readonly key: string;
  readonly fam?: '4' | '6' | '46' | '64' | '-';
  readonly policy?: 'Single' | 'Prefer' | 'Require';
  readonly group?: string;
  readonly addrs?: string;
  readonly share?: string;
  readonly ports?: string;
}

type Step =
  | { readonly alloc: Req; readonly want: string }
  | { readonly release: string; readonly family?: IpFamily; readonly want: string }
  | { readonly holds: string; readonly want: string }
  | { readonly stats: string; readonly want: string };

function toRequest(r: Req): AllocationRequest {
  const fam = r.fam ?? '4';
  const ipFamilies: IpFamily[] = fam === '-' ? [] : fam.split('').map((c) => (c === '4' ? 'IPv4' : 'IPv6'));
  const policy: IpFamilyPolicy =
    `${r.policy ?? 'Single'}${r.policy === undefined || r.policy === 'Single' ? 'Stack' : 'DualStack'}` as IpFamilyPolicy;
  const ports: PortSpec[] = (r.ports ?? '')
    .split(' ')
    .filter((p) => p !== '')
    .map((p) => {
      const [protocol, port] = p.split('/');
      return { protocol: protocol as PortSpec['protocol'], port: Number(port) };
    });
  return {
    key: r.key,
    ipFamilies,
    ipFamilyPolicy: policy,
    ports,
    ...(r.group === undefined ? {} : { group: r.group }),
    ...(r.addrs === undefined ? {} : { requestedAddresses: r.addrs.split(',') }),
    ...(r.share === undefined ? {} : { sharingKey: r.share }),
  };
}

/** `new|same [group] addresses [released: ...]` or `Code [otherKey]`. */
function describeResult(r: AllocationResult): string {
  if (!r.ok) {
    const e = r.error;
    switch (e.code) {
      case 'AddressInUse':
      case 'PortConflict':
        return `${e.code} ${e.otherKey}`;
      case 'GroupNotFound':
      case 'GroupInvalid':
      case 'PoolExhausted':
      case 'AddressNotInPool':
      case 'FamilyUnavailable':
      case 'InvalidAnnotation':
        return e.code;
    }
  }
  const released = r.released.length === 0 ? '' : ` released: ${r.released.map((a) => a.address).join(' ')}`;
  return `${r.changed ? 'new' : 'same'} ${r.value.group ?? '?'} ${r.value.addresses.map((a) => a.address).join(' ')}${released}`;
}

function run(ipam: Ipam, step: Step): string {
  if ('alloc' in step) return describeResult(ipam.allocate(toRequest(step.alloc)));
  if ('release' in step)
    return ipam
      .release(step.release, step.family)
      .map((a) => a.address)
      .join(' ');
  if ('holds' in step) {
    const a = ipam.allocationOf(step.holds);
    return a === undefined ? 'nothing' : a.addresses.map((x) => x.address).join(' ');
  }
  const s = ipam.groupStats(step.stats);
  if (s === undefined) return 'none';
  return `v4 ${s.IPv4.capacity}/${s.IPv4.allocated}/${s.IPv4.available} v6 ${s.IPv6.capacity}/${s.IPv6.allocated}/${s.IPv6.available}`;
}

const scenarios: [string, Step[]][] = [
  [
    'assign, re-assign, exhaust, release, reuse lowest',
    [
      { alloc: { key: 'a' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'a' }, want: 'same default 192.0.2.10' },
      { alloc: { key: 'b' }, want: 'new default 192.0.2.11' },
      { alloc: { key: 'c' }, want: 'new default 192.0.2.12' },
      { alloc: { key: 'd' }, want: 'new default 192.0.2.100' },
      { alloc: { key: 'e' }, want: 'new default 192.0.2.101' },
      { alloc: { key: 'f' }, want: 'PoolExhausted' },
      { stats: 'default', want: 'v4 5/5/0 v6 3/0/3' },
      { release: 'b', want: '192.0.2.11' },
      { release: 'b', want: '' },
      { alloc: { key: 'f' }, want: 'new default 192.0.2.11' },
      { release: 'd', want: '192.0.2.100' },
      { release: 'a', want: '192.0.2.10' },
      { alloc: { key: 'g' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'h' }, want: 'new default 192.0.2.100' },
      { alloc: { key: 'c' }, want: 'same default 192.0.2.12' },
      { holds: 'a', want: 'nothing' },
    ],
  ],
  [
    'pools are used in the order written, not by address',
    [
      { alloc: { key: 'a', group: 'ordered' }, want: 'new ordered 203.0.113.200' },
      { alloc: { key: 'b', group: 'ordered' }, want: 'new ordered 203.0.113.201' },
      { alloc: { key: 'c', group: 'ordered' }, want: 'new ordered 203.0.113.50' },
      { release: 'a', want: '203.0.113.200' },
      { alloc: { key: 'd', group: 'ordered' }, want: 'new ordered 203.0.113.200' },
    ],
  ],
  [
    'family policies',
    [
      { alloc: { key: 's6', fam: '6' }, want: 'new default 2001:db8::10' },
      { alloc: { key: 'p46', fam: '46', policy: 'Prefer' }, want: 'new default 192.0.2.10 2001:db8::11' },
      { alloc: { key: 'r64', fam: '64', policy: 'Require' }, want: 'new default 192.0.2.11 2001:db8::12' },
      { alloc: { key: 'p64', fam: '64', policy: 'Prefer', group: 'v4only' }, want: 'new v4only 198.51.100.0' },
      { alloc: { key: 'p6', fam: '6', policy: 'Prefer', group: 'v4only' }, want: 'FamilyUnavailable' },
      { alloc: { key: 's6', fam: '6', group: 'v4only' }, want: 'FamilyUnavailable' },
      { alloc: { key: 'r', fam: '46', policy: 'Require', group: 'v4only' }, want: 'FamilyUnavailable' },
      { alloc: { key: 'r1', fam: '4', policy: 'Require', group: 'v6only' }, want: 'FamilyUnavailable' },
      { alloc: { key: 'none-listed', fam: '-', group: 'v6only' }, want: 'new v6only 2001:db8:1::' },
      // PreferDualStack wants both families when the group has both; an exhausted one fails the request.
      { alloc: { key: 'none-listed-dual', fam: '-', policy: 'Prefer' }, want: 'PoolExhausted' },
      {
        alloc: { key: 'none-listed-dual', fam: '-', policy: 'Prefer', group: 'v4only' },
        want: 'new v4only 198.51.100.1',
      },
      { stats: 'v4only', want: 'v4 4/2/2 v6 0/0/0' },
    ],
  ],
  [
    'RequireDualStack is all or nothing',
    [
      { alloc: { key: 'x', fam: '6', group: 'tiny6' }, want: 'new tiny6 2001:db8:2::1' },
      { alloc: { key: 'r', fam: '46', policy: 'Require', group: 'tiny6' }, want: 'PoolExhausted' },
      { holds: 'r', want: 'nothing' },
      { stats: 'tiny6', want: 'v4 2/0/2 v6 1/1/0' },
      { alloc: { key: 'y', group: 'tiny6' }, want: 'new tiny6 203.0.113.30' },
      { release: 'x', want: '2001:db8:2::1' },
      {
        alloc: { key: 'r', fam: '46', policy: 'Require', group: 'tiny6' },
        want: 'new tiny6 203.0.113.31 2001:db8:2::1',
      },
    ],
  ],
  [
    'adding and removing a family keeps the other address',
    [
      { alloc: { key: 'k' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'other', fam: '6' }, want: 'new default 2001:db8::10' },
      { alloc: { key: 'k', fam: '46', policy: 'Prefer' }, want: 'new default 192.0.2.10 2001:db8::11' },
      { alloc: { key: 'k', fam: '46', policy: 'Require' }, want: 'same default 192.0.2.10 2001:db8::11' },
      { alloc: { key: 'k', fam: '6' }, want: 'new default 2001:db8::11 released: 192.0.2.10' },
      { alloc: { key: 'k', fam: '64', policy: 'Require' }, want: 'new default 192.0.2.10 2001:db8::11' },
      { release: 'k', family: 'IPv6', want: '2001:db8::11' },
      { holds: 'k', want: '192.0.2.10' },
      { release: 'k', family: 'IPv6', want: '' },
      { release: 'k', family: 'IPv4', want: '192.0.2.10' },
      { holds: 'k', want: 'nothing' },
    ],
  ],
  [
    'sharing: same key, disjoint ports',
    [
      { alloc: { key: 'dns-tcp', share: 'dns', ports: 'TCP/53' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'dns-udp', share: 'dns', ports: 'UDP/53' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'dns-tcp2', share: 'dns', ports: 'TCP/53' }, want: 'PortConflict dns-tcp' },
      { alloc: { key: 'web', ports: 'TCP/80' }, want: 'new default 192.0.2.11' },
      { stats: 'default', want: 'v4 5/2/3 v6 3/0/3' },
      { release: 'dns-tcp', want: '192.0.2.10' },
      { stats: 'default', want: 'v4 5/2/3 v6 3/0/3' },
      { alloc: { key: 'dns-tcp2', share: 'dns', ports: 'TCP/53' }, want: 'new default 192.0.2.10' },
      { release: 'dns-udp', want: '192.0.2.10' },
      { release: 'dns-tcp2', want: '192.0.2.10' },
      { stats: 'default', want: 'v4 5/1/4 v6 3/0/3' },
      { alloc: { key: 'next' }, want: 'new default 192.0.2.10' },
    ],
  ],
  [
    'sharing: TCP 80 twice conflicts, other keys get other addresses',
    [
      { alloc: { key: 'a', share: 'web', ports: 'TCP/80 TCP/443' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'b', share: 'web', ports: 'TCP/8080 TCP/80' }, want: 'PortConflict a' },
      { alloc: { key: 'c', share: 'other', ports: 'TCP/80' }, want: 'new default 192.0.2.11' },
      { alloc: { key: 'd', share: '', ports: 'TCP/80' }, want: 'new default 192.0.2.12' },
      { alloc: { key: 'e', share: 'web', ports: 'UDP/80' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'e', share: 'web', ports: 'UDP/80' }, want: 'same default 192.0.2.10' },
      { alloc: { key: 'e', share: 'web', ports: 'TCP/443' }, want: 'PortConflict a' },
      { holds: 'e', want: '192.0.2.10' },
    ],
  ],
  [
    'sharing: explicit addresses and keys',
    [
      { alloc: { key: 'a', share: 'k', ports: 'TCP/80' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'b', addrs: '192.0.2.10', share: 'k', ports: 'TCP/443' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'c', addrs: '192.0.2.10', ports: 'TCP/22' }, want: 'AddressInUse a' },
      { alloc: { key: 'd', addrs: '192.0.2.10', share: 'other', ports: 'TCP/22' }, want: 'AddressInUse a' },
      { alloc: { key: 'e', addrs: '192.0.2.12', share: 'k', ports: 'TCP/22' }, want: 'InvalidAnnotation' },
      { alloc: { key: 'f', addrs: '192.0.2.12' }, want: 'new default 192.0.2.12' },
      { alloc: { key: 'g', addrs: '192.0.2.12', share: 'k' }, want: 'AddressInUse f' },
    ],
  ],
  [
    'sharing: one address per family per group',
    [
      {
        alloc: { key: 'a', fam: '46', policy: 'Require', share: 'k', ports: 'TCP/80' },
        want: 'new default 192.0.2.10 2001:db8::10',
      },
      { alloc: { key: 'b', fam: '6', share: 'k', ports: 'TCP/81' }, want: 'new default 2001:db8::10' },
      { alloc: { key: 'c', group: 'v4only', share: 'k', ports: 'TCP/80' }, want: 'new v4only 198.51.100.0' },
      {
        alloc: { key: 'b', fam: '64', policy: 'Require', share: 'k', ports: 'TCP/81' },
        want: 'new default 192.0.2.10 2001:db8::10',
      },
      { alloc: { key: 'b', fam: '64', policy: 'Require', share: 'k', ports: 'TCP/80' }, want: 'PortConflict a' },
      { holds: 'b', want: '192.0.2.10 2001:db8::10' },
    ],
  ],
  [
    'sharing: changing the sharing key moves the key off a shared address',
    [
      { alloc: { key: 'a', share: 'k' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'b', share: 'k' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'b', share: 'j' }, want: 'new default 192.0.2.11 released: 192.0.2.10' },
      { alloc: { key: 'a', share: 'z' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'a', share: 'z' }, want: 'same default 192.0.2.10' },
      { alloc: { key: 'c', share: 'z' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'd', share: 'k' }, want: 'new default 192.0.2.12' },
    ],
  ],
  [
    'specific addresses',
    [
      { alloc: { key: 'pin', addrs: '192.0.2.11' }, want: 'new default 192.0.2.11' },
      { alloc: { key: 'pin', addrs: ' 192.0.2.11 ' }, want: 'same default 192.0.2.11' },
      { alloc: { key: 'a' }, want: 'new default 192.0.2.10' },
      { alloc: { key: 'b' }, want: 'new default 192.0.2.12' },
      { alloc: { key: 'x', addrs: '192.0.2.11' }, want: 'AddressInUse pin' },
      { alloc: { key: 'x', addrs: '192.0.2.200' }, want: 'AddressNotInPool' },
      { alloc: { key: 'x', addrs: '2001:db8:ffff::1', fam: '6' }, want: 'AddressNotInPool' },
      { alloc: { key: 'x', addrs: 'not-an-ip' }, want: 'InvalidAnnotation' },
      { alloc: { key: 'x', addrs: '192.0.2.100,192.0.2.101' }, want: 'InvalidAnnotation' },
      { alloc: { key: 'x', addrs: '2001:db8::10' }, want: 'InvalidAnnotation' },
      {
        alloc: { key: 'x', addrs: '192.0.2.100,2001:db8:1::5', fam: '46', policy: 'Require' },
        want: 'InvalidAnnotation',
      },
      { alloc: { key: 'x', addrs: '198.51.100.2', group: 'default' }, want: 'new v4only 198.51.100.2' },
      {
        alloc: { key: 'y', addrs: '2001:db8::12,192.0.2.101', fam: '46', policy: 'Require' },
        want: 'new default 192.0.2.101 2001:db8::12',
      },
      {
        alloc: { key: 'z', addrs: '2001:db8::11', fam: '46', policy: 'Prefer' },
        want: 'new default 192.0.2.100 2001:db8::11',
      },
      { alloc: { key: 'pin', addrs: '192.0.2.11,192.0.2.11' }, want: 'same default 192.0.2.11' },
      { alloc: { key: 'pin', addrs: '192.0.2.100' }, want: 'AddressInUse z' },
      { holds: 'pin', want: '192.0.2.11' },
      { release: 'y', want: '192.0.2.101 2001:db8::12' },
      { alloc: { key: 'pin', addrs: '192.0.2.101' }, want: 'new default 192.0.2.101 released: 192.0.2.11' },
      { alloc: { key: 'pin' }, want: 'same default 192.0.2.101' },
    ],
  ],
  [
    'groups: unknown, invalid, moving between groups',
    [
      { alloc: { key: 'a', group: 'nope' }, want: 'GroupNotFound' },
      { alloc: { key: 'a', group: 'broken' }, want: 'GroupInvalid' },
      { alloc: { key: 'a', group: 'broken', addrs: '203.0.113.9' }, want: 'GroupInvalid' },
      { alloc: { key: 'a', group: 'nope', addrs: '203.0.113.9' }, want: 'AddressNotInPool' },
      { alloc: { key: 'a', group: 'v4only' }, want: 'new v4only 198.51.100.0' },
      { alloc: { key: 'a', group: 'nope' }, want: 'GroupNotFound' },
      { holds: 'a', want: '198.51.100.0' },
      { alloc: { key: 'a' }, want: 'new default 192.0.2.10 released: 198.51.100.0' },
      { stats: 'v4only', want: 'v4 4/0/4 v6 0/0/0' },
      { stats: 'broken', want: 'none' },
      { stats: 'nope', want: 'none' },
    ],
  ],
  ['an empty key is refused', [{ alloc: { key: '' }, want: 'InvalidAnnotation' }]],
];

describe('Ipam scenarios', () => {
  it.each(scenarios)('%s', (_name, steps) => {
    const ipam = createIpam(GROUPS);
    const got = steps.map((step) => run(ipam, step));
    expect(got).toEqual(steps.map((s) => s.want));
  });
});

describe('Ipam queries', () => {
  it('reports allocations with group, sharing key and ports, sorted by key', () => {
    const ipam = createIpam(GROUPS);
    ipam.allocate(toRequest({ key: 'ns/z', fam: '64', policy: 'Require', share: 's', ports: 'TCP/80' }));
    ipam.allocate(toRequest({ key: 'ns/a', group: 'v4only' }));
    expect(ipam.allocations()).toEqual([
      { key: 'ns/a', group: 'v4only', addresses: [{ family: 'IPv4', address: '198.51.100.0' }], ports: [] },
      {
        key: 'ns/z',
        group: 'default',
        addresses: [
          { family: 'IPv4', address: '192.0.2.10' },
          { family: 'IPv6', address: '2001:db8::10' },
        ],
        sharingKey: 's',
        ports: [{ protocol: 'TCP', port: 80 }],
      },
    ]);
    expect(ipam.allocationOf('ns/a')?.group).toBe('v4only');
    expect(ipam.allocationOf('ns/missing')).toBeUndefined();
  });

  it('locates an address in its group and pool', () => {
    const ipam = createIpam(GROUPS);
    const hit = ipam.locate('192.0.2.101');
    expect(hit?.group).toBe('default');
    expect(hit?.poolIndex).toBe(1);
    expect(hit?.pool.path).toBe('spec.local.v4pools[1]');
    expect(ipam.locate({ family: 'IPv6', value: 0x20010db8000100000000000000000005n })?.group).toBe('v6only');
    expect(ipam.locate('192.0.2.13')).toBeUndefined();
    expect(ipam.locate('203.0.113.5')).toBeUndefined(); // only in the invalid group
    expect(ipam.locate('garbage')).toBeUndefined();
  });
});
