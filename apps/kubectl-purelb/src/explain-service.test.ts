import { electWinner } from '@purelb/election';
import { describe, expect, it } from 'vitest';
import { explainService, formatExplanation } from './explain-service.ts';
import type { Explanation } from './explain-service.ts';
import type { ClusterSnapshot } from './kube-objects.ts';
import { group, memberLease, node, service, snapshot } from './testing/cluster-objects.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const SMALL = group('small', { v4pools: [{ pool: '192.0.2.0/31', subnet: '192.0.2.0/24' }] });
const SHARED = { 'purelb.io/service-group': 'small', 'purelb.io/allow-shared-ip': 'dns' };

function explain(key: string, s: ClusterSnapshot): Explanation {
  return explainService({ key, snapshot: s, installNamespace: 'purelb', nowMs: NOW });
}

const section = (e: Explanation, title: string): readonly string[] =>
  e.sections.find((s) => s.title.startsWith(title))?.lines ?? [`no section ${title}`];

describe('explainService', () => {
  it('a full group: the group, its pool usage, the reason and what to do', () => {
    const s = snapshot({
      groups: [SMALL],
      services: [
        service('a', {
          annotations: { 'purelb.io/service-group': 'small' },
          ingress: ['192.0.2.0'],
          createdAt: '2026-01-01T00:00:00Z',
        }),
        service('b', {
          annotations: { 'purelb.io/service-group': 'small' },
          ingress: ['192.0.2.1'],
          createdAt: '2026-01-02T00:00:00Z',
        }),
        service('c', {
          annotations: { 'purelb.io/service-group': 'small' },
          allocated: ['False', 'PoolExhausted', 'no free IPv4 address left'],
          createdAt: '2026-01-03T00:00:00Z',
        }),
      ],
    });
    const e = explain('apps/c', s);
    expect(e.verdict).toBe('pending');
    expect(section(e, 'Service apps/c')).toEqual([
      'asks for IPv4 (SingleStack) from group "small" (purelb.io/service-group), TCP/80',
      'no loadBalancerClass: PureLB handles it (unless the allocator runs with --default-class=false)',
      'shows no address',
      'Allocated=False PoolExhausted: no free IPv4 address left',
    ]);
    expect(section(e, 'Group "small"')).toEqual(['valid', 'IPv4 pool 192.0.2.0/31: 2 of 2 in use, 0 free']);
    expect(section(e, 'Why pending')).toEqual([
      'PoolExhausted: no free IPv4 address left in service group "small"',
      'what to do: free an address (delete a Service of the group), or add or widen a pool',
    ]);
  });

  it('a port conflict under a sharing key names the other Service and lists who shares the key', () => {
    const s = snapshot({
      groups: [SMALL],
      services: [
        service('dns-tcp', {
          annotations: SHARED,
          ingress: ['192.0.2.0'],
          ports: [{ port: 53 }],
          createdAt: '2026-01-01T00:00:00Z',
        }),
        service('dns-again', { annotations: SHARED, ports: [{ port: 53 }], createdAt: '2026-01-02T00:00:00Z' }),
      ],
    });
    const e = explain('apps/dns-again', s);
    expect(section(e, 'Why pending')).toEqual([
      expect.stringMatching(/^PortConflict: /) as unknown,
      'conflicting Service: apps/dns-tcp (shows 192.0.2.0, sharing key "dns", TCP/53)',
      'what to do: Services sharing an address must not use the same protocol and port',
    ]);
    expect(section(e, 'Sharing key "dns"')).toEqual([
      'shared with apps/dns-tcp (shows 192.0.2.0, sharing key "dns", TCP/53)',
    ]);
  });

  it('an address held by another Service, asked for without a sharing key', () => {
    const s = snapshot({
      groups: [SMALL],
      services: [
        service('holder', { annotations: { 'purelb.io/service-group': 'small' }, ingress: ['192.0.2.1'] }),
        service('wants', { annotations: { 'purelb.io/addresses': '192.0.2.1' }, createdAt: '2026-02-01T00:00:00Z' }),
      ],
    });
    const e = explain('apps/wants', s);
    expect(section(e, 'Service apps/wants')).toContain('asks for the address(es) 192.0.2.1');
    expect(section(e, 'Group "small"')[0]).toBe('valid');
    expect(section(e, 'Why pending').slice(0, 2)).toEqual([
      expect.stringMatching(/^AddressInUse: /) as unknown,
      'conflicting Service: apps/holder (shows 192.0.2.1, no sharing key, TCP/80)',
    ]);
  });

  it('a missing group, and an invalid one with its errors', () => {
    const overlapping = group(
      'late',
      { v4pools: [{ pool: '192.0.2.1/32', subnet: '192.0.2.0/24' }] },
      { createdAt: '2026-01-01T00:00:00Z' },
    );
    const s = snapshot({
      groups: [SMALL, overlapping],
      services: [
        service('lost', { annotations: { 'purelb.io/service-group': 'nowhere' } }),
        service('late', { annotations: { 'purelb.io/service-group': 'late' } }),
      ],
    });
    expect(section(explain('apps/lost', s), 'Group "nowhere"')).toEqual([
      'there is no ServiceGroup "nowhere" in namespace purelb',
    ]);
    expect(section(explain('apps/lost', s), 'Why pending')[0]).toMatch(/^GroupNotFound: /);
    expect(section(explain('apps/late', s), 'Group "late"')).toEqual([
      'invalid (Overlap): spec.local.v4pools[0].pool: pool 192.0.2.1-192.0.2.1 is inside pool 192.0.2.0-192.0.2.1 of group "small" (spec.local.v4pools[0].pool)',
    ]);
  });

  it('an address the allocator has not written yet: what PureLB would give, and a hint that no allocator leads', () => {
    const e = explain(
      'apps/new',
      snapshot({
        groups: [SMALL],
        services: [service('new', { annotations: { 'purelb.io/service-group': 'small' } })],
      }),
    );
    expect(e.verdict).toBe('pending');
    expect(section(e, 'Decision')[0]).toBe('PureLB would give it 192.0.2.0 from group "small" now');
  });

  it('a local address: the election ranking of the live nodes, who is not live and why, and the annotation', () => {
    const leases = [
      memberLease('node-a', '192.0.2.0/24,2001:db8::/64', { nowMs: NOW, ageMs: 1000 }),
      memberLease('node-b', '192.0.2.0/24', { nowMs: NOW, ageMs: 500 }),
      memberLease('node-c', '192.0.2.0/24', { nowMs: NOW, ageMs: 60_000 }),
      memberLease('node-d', '198.51.100.0/24', { nowMs: NOW, ageMs: 0 }),
      memberLease('node-e', '192.0.2.0/24', { nowMs: NOW, ageMs: 0 }),
    ];
    const expected = electWinner({
      address: '192.0.2.0',
      candidates: ['node-a', 'node-b'].map((name) => ({ name, subnets: ['192.0.2.0/24'], live: true })),
    });
    if (!expected.ok) throw new Error(expected.error.message);
    const winner = expected.value.ranking[0]?.node ?? '';
    const s = snapshot({
      groups: [SMALL],
      nodes: [node('node-e', false)],
      leases,
      services: [
        service('web', {
          annotations: { 'purelb.io/service-group': 'small', 'purelb.io/announcing-IPv4': `${winner},eth0` },
          ingress: ['192.0.2.0'],
          allocated: ['True', 'Allocated', 'Allocated 192.0.2.0 from service group "small"'],
          announced: ['True', 'Announcing', `192.0.2.0 on ${winner}`],
        }),
      ],
    });
    const e = explain('apps/web', s);
    expect(e.verdict).toBe('allocated');
    expect(section(e, 'Decision')).toEqual(['holds 192.0.2.0 from group "small": nothing is pending']);
    const lines = section(e, 'Announcement of 192.0.2.0 (IPv4)');
    expect(lines[0]).toBe(
      'local: elected among the live nodes with a subnet holding it (lowest SHA-256 of node#address wins)',
    );
    expect(lines.slice(1, 3).map((l) => l.trim().split(' ')[1])).toEqual(expected.value.ranking.map((r) => r.node));
    expect(lines[1]).toContain('<- winner');
    expect(lines.slice(3)).toEqual([
      '  -  node-c: not live (its Lease expired 57 s ago)',
      '  -  node-e: not live (its Node is NotReady)',
      `purelb.io/announcing-IPv4 says ${winner} on eth0 (agrees with the election)`,
    ]);
    expect(section(e, 'Announced')).toEqual([`Announced=True Announcing: 192.0.2.0 on ${winner}`]);
    expect(formatExplanation(e)).toContain('\n\nGroup "small"\n  valid\n');
  });

  it('a local address no live node can take, and a virtual one', () => {
    const leases = [
      memberLease('node-a', '192.0.2.0/24', { nowMs: NOW, ageMs: 10_000 }),
      memberLease('node-b', '203.0.113.0/24', { nowMs: NOW, ageMs: 0 }),
    ];
    const held = (name: string, ip: string) =>
      service(name, { annotations: { 'purelb.io/service-group': 'wide' }, ingress: [ip] });
    const wide = group('wide', {
      v4pools: [
        { pool: '192.0.2.0/31', subnet: '192.0.2.0/24' },
        { pool: '198.51.100.0/31', subnet: '198.51.100.0/24' },
      ],
    });
    const s = snapshot({
      groups: [wide],
      leases,
      services: [held('local', '192.0.2.0'), held('virtual', '198.51.100.0')],
    });
    expect(section(explain('apps/local', s), 'Announcement')).toEqual([
      'local, but no live node has a subnet holding it (1 node(s) without the subnet):',
      '  node-a: not live (its Lease expired 7 s ago)',
      'no purelb.io/announcing-IPv4',
    ]);
    expect(section(explain('apps/virtual', s), 'Announcement')[0]).toBe(
      'virtual: no node has a subnet holding it, so every node adds it to its virtual interface',
    );
  });

  it('Services PureLB does not handle, and one that does not exist', () => {
    const s = snapshot({
      services: [service('internal', { type: 'ClusterIP' }), service('other', { loadBalancerClass: 'example.com/lb' })],
    });
    expect(explain('apps/internal', s)).toEqual({
      verdict: 'not-ours',
      sections: [
        { title: 'Service apps/internal', lines: ['its type is ClusterIP: PureLB handles LoadBalancer Services only'] },
      ],
    });
    expect(section(explain('apps/other', s), 'Service')).toEqual([
      'its loadBalancerClass is example.com/lb: another controller handles it',
    ]);
    expect(explain('apps/none', s).verdict).toBe('missing');
  });

  it('a malformed address annotation', () => {
    const s = snapshot({
      groups: [SMALL],
      services: [service('bad', { annotations: { 'purelb.io/addresses': '192.0.2.300' } })],
    });
    expect(section(explain('apps/bad', s), 'Why pending')[0]).toBe(
      'InvalidAnnotation: annotation purelb.io/addresses: "192.0.2.300" is not an IP address',
    );
  });

  it('a held address outside every pool of its group is kept, and said so', () => {
    const s = snapshot({
      groups: [SMALL],
      services: [
        service('moved', {
          annotations: { 'purelb.io/allocated-from': 'small', 'purelb.io/service-group': 'small' },
          ingress: ['203.0.113.9'],
        }),
      ],
    });
    expect(section(explain('apps/moved', s), 'Why not allocated')[0]).toMatch(/^AddressOutsidePool: 203\.0\.113\.9 /);
  });
});
