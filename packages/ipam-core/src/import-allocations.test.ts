import { describe, expect, it } from 'vitest';
import type { AllocationRequest, ExistingAllocation } from './allocation.ts';
import { createIpam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';

const GROUPS = validateServiceGroups([
  {
    name: 'default',
    createdAt: 1,
    spec: {
      local: {
        v4pools: [{ pool: '192.0.2.10-192.0.2.19', subnet: '192.0.2.0/24' }],
        v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }],
      },
    },
  },
  {
    name: 'other',
    createdAt: 2,
    spec: { local: { v4pools: [{ pool: '198.51.100.0/29', subnet: '198.51.100.0/24' }] } },
  },
]);

const v4 = (key: string, extra: Partial<AllocationRequest> = {}): AllocationRequest => ({
  key,
  ipFamilies: ['IPv4'],
  ipFamilyPolicy: 'SingleStack',
  ...extra,
});
const tcp = (port: number) => ({ protocol: 'TCP' as const, port });
const udp = (port: number) => ({ protocol: 'UDP' as const, port });

function addressesOf(ipam: ReturnType<typeof createIpam>, key: string): string[] {
  return ipam.allocationOf(key)?.addresses.map((a) => a.address) ?? [];
}

describe('importAllocations', () => {
  it('takes existing allocations first; new ones get the lowest address left', () => {
    const ipam = createIpam(GROUPS);
    const report = ipam.importAllocations([
      { key: 'ns/b', addresses: ['192.0.2.11', '2001:db8::1'] },
      { key: 'ns/a', group: 'default', addresses: ['192.0.2.10'] },
      { key: 'ns/c', group: 'named', addresses: ['198.51.100.3'] },
    ]);
    expect(report).toEqual({ imported: 4, issues: [] });
    // The named group is the one the address was given from; the pool holding it now does not change that.
    expect(ipam.allocationOf('ns/c')?.group).toBe('named');
    expect(ipam.allocationOf('ns/b')?.group).toBe('default');
    const fresh = ipam.allocate({ key: 'ns/new', ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
    expect(fresh.ok ? fresh.value.addresses.map((a) => a.address) : fresh.error.code).toEqual([
      '192.0.2.12',
      '2001:db8::',
    ]);
    const again = ipam.allocate({ key: 'ns/b', ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' });
    expect(again.ok && !again.changed).toBe(true);
    expect(addressesOf(ipam, 'ns/b')).toEqual(['192.0.2.11', '2001:db8::1']);
    expect(ipam.groupStats('default')?.IPv4).toEqual({ capacity: 10n, allocated: 3n, available: 7n });
    expect(ipam.groupStats('default')?.IPv6).toEqual({
      capacity: 18446744073709551616n,
      allocated: 2n,
      available: 18446744073709551614n,
    });
  });

  it('reports a collision and never hands the address to the second holder', () => {
    const ipam = createIpam(GROUPS);
    const report = ipam.importAllocations([
      { key: 'ns/first', addresses: ['192.0.2.15'] },
      { key: 'ns/second', addresses: ['192.0.2.15', '2001:db8::7'] },
    ]);
    expect(report.issues).toEqual([
      {
        code: 'AddressCollision',
        key: 'ns/second',
        address: '192.0.2.15',
        heldBy: 'ns/first',
        message: '192.0.2.15 of "ns/second" is already held by "ns/first"; it was not imported',
      },
    ]);
    expect(report.imported).toBe(2);
    expect(addressesOf(ipam, 'ns/first')).toEqual(['192.0.2.15']);
    expect(addressesOf(ipam, 'ns/second')).toEqual(['2001:db8::7']);
  });

  it.each<[string, ExistingAllocation, ExistingAllocation, boolean]>([
    [
      'same sharing key, TCP 53 and UDP 53',
      { key: 'a', addresses: ['192.0.2.10'], sharingKey: 'dns', ports: [tcp(53)] },
      { key: 'b', addresses: ['192.0.2.10'], sharingKey: 'dns', ports: [udp(53)] },
      true,
    ],
    [
      'same sharing key, TCP 80 twice',
      { key: 'a', addresses: ['192.0.2.10'], sharingKey: 'web', ports: [tcp(80)] },
      { key: 'b', addresses: ['192.0.2.10'], sharingKey: 'web', ports: [tcp(443), tcp(80)] },
      false,
    ],
    [
      'different sharing keys',
      { key: 'a', addresses: ['192.0.2.10'], sharingKey: 'x' },
      { key: 'b', addresses: ['192.0.2.10'], sharingKey: 'y' },
      false,
    ],
    ['no sharing key', { key: 'a', addresses: ['192.0.2.10'] }, { key: 'b', addresses: ['192.0.2.10'] }, false],
    [
      'blank sharing key',
      { key: 'a', addresses: ['192.0.2.10'], sharingKey: ' ' },
      { key: 'b', addresses: ['192.0.2.10'], sharingKey: ' ' },
      false,
    ],
  ])('%s: shared = %s', (_name, a, b, shared) => {
    const ipam = createIpam(GROUPS);
    const report = ipam.importAllocations([a, b]);
    expect(report.issues.map((i) => `${i.code} ${i.key}`)).toEqual(shared ? [] : ['AddressCollision b']);
    expect(addressesOf(ipam, 'b')).toEqual(shared ? ['192.0.2.10'] : []);
    expect(ipam.groupStats('default')?.IPv4.allocated).toBe(1n);
    ipam.release('a');
    const next = ipam.allocate(v4('c'));
    expect(next.ok ? next.value.addresses[0]?.address : next.error.code).toBe(shared ? '192.0.2.11' : '192.0.2.10');
  });

  it('keeps addresses outside every pool held by their key and reports them', () => {
    const ipam = createIpam(GROUPS);
    const report = ipam.importAllocations([{ key: 'ns/old', group: 'gone', addresses: ['203.0.113.77'] }]);
    expect(report).toEqual({
      imported: 1,
      issues: [
        {
          code: 'AddressOutsidePool',
          key: 'ns/old',
          address: '203.0.113.77',
          message: '203.0.113.77 of "ns/old" is in no pool of a valid service group',
        },
      ],
    });
    expect(ipam.allocationOf('ns/old')).toEqual({
      key: 'ns/old',
      group: 'gone',
      addresses: [{ family: 'IPv4', address: '203.0.113.77' }],
      ports: [],
    });
    const other = ipam.allocate(v4('ns/thief', { requestedAddresses: ['203.0.113.77'] }));
    expect(other.ok ? 'ok' : other.error.code).toBe('AddressNotInPool');
    const mine = ipam.allocate(v4('ns/old', { group: 'gone', requestedAddresses: ['203.0.113.77'] }));
    expect(mine.ok && !mine.changed).toBe(true);
    expect(ipam.outsidePool().map((o) => o.message)).toEqual([
      '203.0.113.77 of "ns/old" is outside every pool of service group "gone"',
    ]);
    // A pool that later covers the address does not hand it out again.
    ipam.setGroups(
      validateServiceGroups([
        {
          name: 'gone',
          createdAt: 1,
          spec: { local: { v4pools: [{ pool: '203.0.113.76/31', subnet: '203.0.113.0/24' }] } },
        },
      ]),
    );
    expect(ipam.outsidePool()).toEqual([]);
    const next = ipam.allocate(v4('ns/next', { group: 'gone' }));
    expect(next.ok ? next.value.addresses[0]?.address : next.error.code).toBe('203.0.113.76');
    const full = ipam.allocate(v4('ns/full', { group: 'gone' }));
    expect(full.ok ? 'ok' : full.error.code).toBe('PoolExhausted');
  });

  it('reports malformed and duplicate-family addresses and imports the rest', () => {
    const ipam = createIpam(GROUPS);
    const report = ipam.importAllocations([
      { key: 'ns/bad', addresses: ['bogus', '192.0.2.12'] },
      { key: 'ns/two', addresses: ['192.0.2.13', '192.0.2.14'] },
      { key: 'ns/bad', addresses: ['192.0.2.16'] },
    ]);
    expect(report.issues).toEqual([
      {
        code: 'MalformedAddress',
        key: 'ns/bad',
        address: 'bogus',
        message: '"ns/bad": "bogus" is not a valid IP address',
      },
      {
        code: 'MalformedAddress',
        key: 'ns/two',
        address: '192.0.2.14',
        message: '"ns/two" lists a second IPv4 address 192.0.2.14',
      },
      {
        code: 'AddressCollision',
        key: 'ns/bad',
        address: '192.0.2.16',
        heldBy: 'ns/bad',
        message: '"ns/bad" already holds 192.0.2.12; 192.0.2.16 was not imported',
      },
    ]);
    expect(addressesOf(ipam, 'ns/bad')).toEqual(['192.0.2.12']);
    expect(addressesOf(ipam, 'ns/two')).toEqual(['192.0.2.13']);
    expect(report.imported).toBe(2);
  });

  it('is idempotent: importing the same allocations twice changes nothing', () => {
    const ipam = createIpam(GROUPS);
    const existing: ExistingAllocation[] = [
      { key: 'a', addresses: ['192.0.2.10'], sharingKey: 's', ports: [tcp(1)] },
      { key: 'b', addresses: ['192.0.2.10'], sharingKey: 's', ports: [tcp(2)] },
    ];
    ipam.importAllocations(existing);
    const before = ipam.allocations();
    expect(ipam.importAllocations(existing)).toEqual({ imported: 0, issues: [] });
    expect(ipam.allocations()).toEqual(before);
    expect(ipam.groupStats('default')?.IPv4.allocated).toBe(1n);
  });

  it('binds an imported sharing key so later keys with it join the address', () => {
    const ipam = createIpam(GROUPS);
    ipam.importAllocations([{ key: 'a', addresses: ['192.0.2.17'], sharingKey: 'dns', ports: [tcp(53)] }]);
    const b = ipam.allocate(v4('b', { sharingKey: 'dns', ports: [udp(53)] }));
    expect(b.ok ? b.value.addresses[0]?.address : b.error.code).toBe('192.0.2.17');
    const c = ipam.allocate(v4('c', { sharingKey: 'dns', ports: [tcp(53)] }));
    expect(c.ok ? 'ok' : c.error.message).toBe('port TCP/53 on 192.0.2.17 is already used by "a"');
  });
});
