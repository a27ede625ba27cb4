// Every allocation failure message, exactly as Events and conditions will show it.
import { describe, expect, it } from 'vitest';
import type { AllocationRequest, PortSpec } from './allocation.ts';
import { createIpam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';

const GROUPS = validateServiceGroups([
  {
    name: 'default',
    createdAt: 1,
    spec: {
      local: {
        v4pools: [{ pool: '192.0.2.10-192.0.2.12', subnet: '192.0.2.0/24' }],
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
    name: 'broken',
    createdAt: 5,
    spec: { local: { v4pools: [{ pool: '203.0.113.0/24', subnet: '203.0.113.0/28' }] } },
  },
  {
    name: 'tiny6',
    createdAt: 6,
    spec: { local: { v6pools: [{ pool: '2001:db8:2::1/128', subnet: '2001:db8:2::/64' }] } },
  },
]);

interface Req {
  readonly key: string;
  readonly fam?: '4' | '6' | '46';
  readonly policy?: 'Single' | 'Require';
  readonly group?: string;
  readonly addrs?: string;
  readonly share?: string;
  readonly ports?: string;
}

function toRequest(r: Req): AllocationRequest {
  const ports: PortSpec[] = (r.ports ?? '')
    .split(' ')
    .filter((p) => p !== '')
    .map((p) => ({ protocol: p.split('/')[0] as PortSpec['protocol'], port: Number(p.split('/')[1]) }));
  return {
    key: r.key,
    ipFamilies: r.fam === '6' ? ['IPv6'] : r.fam === '46' ? ['IPv4', 'IPv6'] : ['IPv4'],
    ipFamilyPolicy: r.policy === 'Require' ? 'RequireDualStack' : 'SingleStack',
    ports,
    ...(r.group === undefined ? {} : { group: r.group }),
    ...(r.addrs === undefined ? {} : { requestedAddresses: r.addrs.split(',') }),
    ...(r.share === undefined ? {} : { sharingKey: r.share }),
  };
}

describe('allocation failure messages', () => {
  const ipam = createIpam(GROUPS);
  ipam.allocate(toRequest({ key: 'ns/a', share: 'k', ports: 'TCP/80' }));
  ipam.allocate(toRequest({ key: 'ns/x', group: 'tiny6', fam: '6' }));
  it.each<[Req, string]>([
    [{ key: 'b', group: 'nope' }, 'service group "nope" does not exist'],
    [{ key: 'b', group: 'broken' }, 'service group "broken" is invalid (InvalidPool)'],
    [{ key: 'b', group: 'tiny6', fam: '6' }, 'no free IPv6 address left in service group "tiny6"'],
    [{ key: 'b', addrs: '192.0.2.99' }, 'address 192.0.2.99 is not in any pool of a valid service group'],
    [{ key: 'b', addrs: '192.0.2.10' }, 'address 192.0.2.10 is in use by "ns/a" and this key has no sharing key'],
    [{ key: 'b', addrs: '192.0.2.10', share: 'j' }, 'address 192.0.2.10 is in use by "ns/a" under another sharing key'],
    [{ key: 'b', share: 'k', ports: 'UDP/53 TCP/80' }, 'port TCP/80 on 192.0.2.10 is already used by "ns/a"'],
    [{ key: 'b', group: 'v4only', fam: '6' }, 'service group "v4only" has no IPv6 pool'],
    [{ key: 'b', addrs: '192.0.2.1O' }, 'requested address "192.0.2.1O" is not a valid IP address'],
    [{ key: 'b', addrs: '192.0.2.11,192.0.2.12' }, 'more than one IPv4 address requested (192.0.2.11, 192.0.2.12)'],
    [{ key: 'b', addrs: '2001:db8::10' }, 'requested address 2001:db8::10 is IPv6 but the service gets IPv4 only'],
    [
      { key: 'b', addrs: '192.0.2.11,2001:db8:1::1', fam: '46', policy: 'Require' },
      'requested addresses 192.0.2.11 and 2001:db8:1::1 are in different service groups ("default", "v6only")',
    ],
    [
      { key: 'b', addrs: '192.0.2.12', share: 'k' },
      'sharing key "k" is bound to 192.0.2.10 in service group "default", not to the requested 192.0.2.12',
    ],
    [{ key: '' }, 'the key is empty'],
  ])('%j', (req, message) => {
    const r = ipam.allocate(toRequest(req));
    expect(r.ok ? 'ok' : r.error.message).toBe(message);
  });

  // User-supplied text (annotations) is quoted as a prefix and its length, never copied whole.
  it.each<[string, Req, string]>([
    [
      'a 100 KB group name',
      { key: 'b', group: 'g'.repeat(102_400) },
      `service group "${'g'.repeat(76)}…" (102,400 characters) does not exist`,
    ],
    [
      'a 100 KB requested address',
      { key: 'b', addrs: '9'.repeat(102_400) },
      `requested address "${'9'.repeat(76)}…" (102,400 characters) is not a valid IP address`,
    ],
  ])('bounds %s', (_, req, message) => {
    const r = ipam.allocate(toRequest(req));
    expect(r.ok ? 'ok' : r.error.message).toBe(message);
  });

  it('bounds a 100 KB sharing key', () => {
    const own = createIpam(GROUPS);
    const share = 'k'.repeat(102_400);
    own.allocate(toRequest({ key: 'ns/a', share }));
    const r = own.allocate(toRequest({ key: 'b', addrs: '192.0.2.12', share }));
    expect(r.ok ? 'ok' : r.error.message).toBe(
      `sharing key "${'k'.repeat(76)}…" (102,400 characters) is bound to 192.0.2.10 in service group "default", not to the requested 192.0.2.12`,
    );
  });

  it('names the colliding port and key in a PortConflict', () => {
    const r = ipam.allocate(toRequest({ key: 'b', share: 'k', ports: 'TCP/80' }));
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'PortConflict',
        address: '192.0.2.10',
        otherKey: 'ns/a',
        port: { protocol: 'TCP', port: 80 },
        message: 'port TCP/80 on 192.0.2.10 is already used by "ns/a"',
      },
    });
  });
});
