import { createIpam, validateServiceGroups } from '@purelb/ipam-core';
import type { GroupInput, Ipam } from '@purelb/ipam-core';
import { describe, expect, it } from 'vitest';
import { decideService } from './decide-service.ts';
import type { ServiceDecision } from './decide-service.ts';
import type { ServiceObject } from './kube-objects.ts';
import { observeService } from './observe-service.ts';
import { serviceToExisting, serviceToRequest } from './service-to-request.ts';

const v4 = (pool: string) => ({ local: { v4pools: [{ pool, subnet: '192.0.2.0/24' }] } });
const dual = {
  local: {
    v4pools: [{ pool: '198.51.100.1-198.51.100.2', subnet: '198.51.100.0/24' }],
    v6pools: [{ pool: '2001:db8::1-2001:db8::2', subnet: '2001:db8::/64' }],
  },
};
const groups = (...inputs: [string, unknown][]): GroupInput[] =>
  inputs.map(([name, spec], i) => ({ name, createdAt: `2024-01-0${i + 1}T00:00:00Z`, spec }));

interface SvcSpec {
  readonly name: string;
  readonly annotations?: Record<string, string>;
  readonly type?: string;
  readonly families?: string[];
  readonly policy?: string;
  readonly ports?: { port: number; protocol?: string }[];
  readonly ingress?: string[];
  readonly allocatedFrom?: string;
}

function service(s: SvcSpec): ServiceObject {
  const annotations = {
    ...s.annotations,
    ...(s.allocatedFrom === undefined
      ? {}
      : { 'purelb.io/allocated-from': s.allocatedFrom, 'purelb.io/allocated-by': 'PureLB' }),
  };
  return {
    metadata: { namespace: 'ns', name: s.name, annotations },
    spec: {
      type: s.type ?? 'LoadBalancer',
      ipFamilies: s.families ?? ['IPv4'],
      ipFamilyPolicy: s.policy ?? 'SingleStack',
      ports: s.ports ?? [{ port: 80, protocol: 'TCP' }],
    },
    status: { loadBalancer: { ingress: (s.ingress ?? []).map((ip) => ({ ip, ipMode: 'VIP' })) } },
  };
}

function decide(ipam: Ipam, s: SvcSpec | { readonly name: string; readonly deleted: true }): ServiceDecision {
  if ('deleted' in s) return decideService(ipam, { key: `ns/${s.name}`, intent: undefined, observed: undefined });
  const obj = service(s);
  return decideService(ipam, {
    key: `ns/${s.name}`,
    intent: serviceToRequest(obj, { defaultClass: true }),
    observed: observeService(obj),
  });
}

/** One line per step: the Service as it is now → what it should show (`ips reason`). */
function show(d: ServiceDecision): string {
  if (d.desire === undefined)
    return `gone${d.released.length > 0 ? ` released ${d.released.map((a) => a.address).join(',')}` : ''}`;
  if (d.desire.kind === 'release') return `release ${d.desire.released.join(',')}`.trim();
  return `${d.desire.addresses.map((a) => a.address).join(',') || '-'} ${d.desire.reason}`;
}

type Step = [SvcSpec | { readonly name: string; readonly deleted: true }, string];

describe('decideService', () => {
  it.each<[string, GroupInput[], Step[]]>([
    [
      'lowest free first, reuse of released addresses, exhaustion',
      groups(['default', v4('192.0.2.10-192.0.2.11')]),
      [
        [{ name: 'a' }, '192.0.2.10 Allocated'],
        [{ name: 'b' }, '192.0.2.11 Allocated'],
        [{ name: 'c' }, '- PoolExhausted'],
        [{ name: 'a', ingress: ['192.0.2.10'] }, '192.0.2.10 Allocated'],
        [{ name: 'a', deleted: true }, 'gone released 192.0.2.10'],
        [{ name: 'c' }, '192.0.2.10 Allocated'],
      ],
    ],
    [
      'type change away from LoadBalancer releases and clears',
      groups(['default', v4('192.0.2.10-192.0.2.11')]),
      [
        [{ name: 'a' }, '192.0.2.10 Allocated'],
        [{ name: 'a', type: 'ClusterIP', ingress: ['192.0.2.10'] }, 'release 192.0.2.10'],
        [{ name: 'b' }, '192.0.2.10 Allocated'],
      ],
    ],
    [
      'specific addresses, unknown groups, addresses outside every pool',
      groups(['default', v4('192.0.2.10-192.0.2.12')], ['other', v4('192.0.2.20-192.0.2.21')]),
      [
        [{ name: 'a', annotations: { 'purelb.io/addresses': '192.0.2.12' } }, '192.0.2.12 Allocated'],
        [{ name: 'b', annotations: { 'purelb.io/addresses': '192.0.2.12' } }, '- AddressInUse'],
        [{ name: 'c', annotations: { 'purelb.io/addresses': '203.0.113.1' } }, '- AddressNotInPool'],
        [{ name: 'd', annotations: { 'purelb.io/service-group': 'nope' } }, '- GroupNotFound'],
        [{ name: 'e', annotations: { 'purelb.io/addresses': '192.0.2.21' } }, '192.0.2.21 Allocated'],
        [{ name: 'f', annotations: { 'purelb.io/addresses': 'garbage' } }, '- InvalidAnnotation'],
      ],
    ],
    [
      'an invalid annotation keeps what the Service already holds',
      groups(['default', v4('192.0.2.10-192.0.2.12')]),
      [
        [{ name: 'a' }, '192.0.2.10 Allocated'],
        [
          { name: 'a', ingress: ['192.0.2.10'], annotations: { 'purelb.io/addresses': '1.2.3' } },
          '192.0.2.10 InvalidAnnotation',
        ],
        [{ name: 'b' }, '192.0.2.11 Allocated'],
      ],
    ],
    [
      'sharing: same key and distinct ports share, a port collision is refused',
      groups(['default', v4('192.0.2.10-192.0.2.12')]),
      [
        [
          { name: 'tcp', annotations: { 'purelb.io/allow-shared-ip': 'dns' }, ports: [{ port: 53, protocol: 'TCP' }] },
          '192.0.2.10 Allocated',
        ],
        [
          { name: 'udp', annotations: { 'purelb.io/allow-shared-ip': 'dns' }, ports: [{ port: 53, protocol: 'UDP' }] },
          '192.0.2.10 Allocated',
        ],
        [
          {
            name: 'clash',
            annotations: { 'purelb.io/allow-shared-ip': 'dns' },
            ports: [{ port: 53, protocol: 'UDP' }],
          },
          '- PortConflict',
        ],
        [{ name: 'loner' }, '192.0.2.11 Allocated'],
        [{ name: 'tcp', deleted: true }, 'gone released 192.0.2.10'],
        [
          { name: 'c', annotations: { 'purelb.io/allow-shared-ip': 'dns' }, ports: [{ port: 80 }] },
          '192.0.2.10 Allocated',
        ],
        [{ name: 'udp', deleted: true }, 'gone released 192.0.2.10'],
        [{ name: 'c', deleted: true }, 'gone released 192.0.2.10'],
        [{ name: 'next' }, '192.0.2.10 Allocated'],
      ],
    ],
    [
      'families: dual stack in spec order, removal of one family, RequireDualStack without v6',
      groups(['default', dual], ['v4only', v4('192.0.2.10-192.0.2.12')]),
      [
        [{ name: 'd', families: ['IPv6', 'IPv4'], policy: 'RequireDualStack' }, '2001:db8::1,198.51.100.1 Allocated'],
        [{ name: 'd', families: ['IPv6'], ingress: ['2001:db8::1', '198.51.100.1'] }, '2001:db8::1 Allocated'],
        [{ name: 'e' }, '198.51.100.1 Allocated'],
        [
          {
            name: 'r',
            families: ['IPv4', 'IPv6'],
            policy: 'RequireDualStack',
            annotations: { 'purelb.io/service-group': 'v4only' },
          },
          '- FamilyUnavailable',
        ],
        [
          {
            name: 'p',
            families: ['IPv4', 'IPv6'],
            policy: 'PreferDualStack',
            annotations: { 'purelb.io/service-group': 'v4only' },
          },
          '192.0.2.10 Allocated',
        ],
      ],
    ],
  ])('%s', (_name, inputs, steps) => {
    const ipam = createIpam(validateServiceGroups(inputs));
    expect(steps.map(([svc]) => show(decide(ipam, svc)))).toEqual(steps.map(([, expected]) => expected));
  });

  it('never reassigns an address that collided on import; adopts it once it is free', () => {
    const ipam = createIpam(validateServiceGroups(groups(['default', v4('192.0.2.10-192.0.2.12')])));
    // After a restart both Services show 192.0.2.10; the older one was imported first.
    ipam.importAllocations([{ key: 'ns/old', addresses: ['192.0.2.10'], group: 'default' }]);
    const young = { name: 'young', ingress: ['192.0.2.10'], allocatedFrom: 'default' };
    const d1 = decide(ipam, young);
    expect(show(d1)).toBe('192.0.2.10 AddressInUse');
    expect(d1.desire?.kind === 'hold' && d1.desire.message).toContain('"ns/old"');
    expect(ipam.allocationOf('ns/young')).toBeUndefined();
    expect(show(decide(ipam, { name: 'old', deleted: true }))).toBe('gone released 192.0.2.10');
    expect(show(decide(ipam, young))).toBe('192.0.2.10 Allocated');
    expect(ipam.allocationOf('ns/young')?.addresses).toEqual([{ family: 'IPv4', address: '192.0.2.10' }]);
  });

  it('adopts an address shown in status that nothing holds (status written before a restart)', () => {
    const ipam = createIpam(validateServiceGroups(groups(['default', v4('192.0.2.10-192.0.2.12')])));
    const d = decide(ipam, { name: 'a', ingress: ['192.0.2.12'] });
    expect(show(d)).toBe('192.0.2.12 Allocated');
    expect(show(decide(ipam, { name: 'b' }))).toBe('192.0.2.10 Allocated');
  });

  it('pool edits never move a Service: AddressOutsidePool until the pool comes back', () => {
    const before = groups(['default', v4('192.0.2.10-192.0.2.12')]);
    const ipam = createIpam(validateServiceGroups(before));
    expect(show(decide(ipam, { name: 'a' }))).toBe('192.0.2.10 Allocated');
    ipam.setGroups(validateServiceGroups(groups(['default', v4('192.0.2.11-192.0.2.12')])));
    const shrunk = decide(ipam, { name: 'a', ingress: ['192.0.2.10'], allocatedFrom: 'default' });
    expect(show(shrunk)).toBe('192.0.2.10 AddressOutsidePool');
    expect(shrunk.desire?.kind === 'hold' && shrunk.desire.status).toBe('False');
    // another Service does not get the address that is still held
    expect(show(decide(ipam, { name: 'b' }))).toBe('192.0.2.11 Allocated');
    ipam.setGroups(validateServiceGroups(before));
    expect(show(decide(ipam, { name: 'a', ingress: ['192.0.2.10'], allocatedFrom: 'default' }))).toBe(
      '192.0.2.10 Allocated',
    );
  });

  it('a pinned address that a pool edit left outside is AddressOutsidePool too, until the Service asks for another', () => {
    const ipam = createIpam(validateServiceGroups(groups(['default', v4('192.0.2.10-192.0.2.12')])));
    const pinned = { name: 'a', annotations: { 'purelb.io/addresses': '192.0.2.12' } };
    expect(show(decide(ipam, pinned))).toBe('192.0.2.12 Allocated');
    ipam.setGroups(validateServiceGroups(groups(['default', v4('192.0.2.10-192.0.2.11')])));
    expect(show(decide(ipam, { ...pinned, ingress: ['192.0.2.12'], allocatedFrom: 'default' }))).toBe(
      '192.0.2.12 AddressOutsidePool',
    );
    const moved = decide(ipam, {
      name: 'a',
      annotations: { 'purelb.io/addresses': '192.0.2.11' },
      ingress: ['192.0.2.12'],
      allocatedFrom: 'default',
    });
    expect([show(moved), moved.released.map((r) => r.address)]).toEqual(['192.0.2.11 Allocated', ['192.0.2.12']]);
  });

  it('a deleted group leaves its Services in place, reported', () => {
    const ipam = createIpam(validateServiceGroups(groups(['web', v4('192.0.2.10-192.0.2.12')])));
    const svc = { name: 'a', annotations: { 'purelb.io/service-group': 'web' } };
    expect(show(decide(ipam, svc))).toBe('192.0.2.10 Allocated');
    ipam.setGroups([]);
    expect(show(decide(ipam, { ...svc, ingress: ['192.0.2.10'], allocatedFrom: 'web' }))).toBe(
      '192.0.2.10 AddressOutsidePool',
    );
  });

  it('a Service pinned without a group keeps naming the group that held its address after that group shrank', () => {
    const ipam = createIpam(
      validateServiceGroups(groups(['default', v4('192.0.2.100/30')], ['virtual', v4('192.0.2.16/28')])),
    );
    const pinned = { name: 'a', annotations: { 'purelb.io/addresses': '192.0.2.20' } };
    const first = decide(ipam, pinned);
    expect([show(first), first.desire?.kind === 'hold' && first.desire.group]).toEqual([
      '192.0.2.20 Allocated',
      'virtual',
    ]);
    ipam.setGroups(
      validateServiceGroups(groups(['default', v4('192.0.2.100/30')], ['virtual', v4('192.0.2.16-192.0.2.19')])),
    );
    const shrunk = decide(ipam, { ...pinned, ingress: ['192.0.2.20'], allocatedFrom: 'virtual' });
    expect(show(shrunk)).toBe('192.0.2.20 AddressOutsidePool');
    expect(shrunk.desire?.kind === 'hold' && [shrunk.desire.group, shrunk.desire.message]).toEqual([
      'virtual',
      '192.0.2.20 lies outside every pool of service group "virtual"; the address is kept until the Service is changed or deleted',
    ]);
    expect(ipam.allocationOf('ns/a')?.group).toBe('virtual');
  });

  it('the same cluster state gives the same decision, whether lived through or imported after a leader change', () => {
    const before = groups(['default', v4('192.0.2.0/24')], ['overlap', v4('192.0.2.248/29')]);
    // `default` is deleted: `overlap` (younger, so far invalid) becomes valid and holds the pinned address.
    const after = groups(['overlap', v4('192.0.2.248/29')]);
    const pinned = { name: 'pinned', annotations: { 'purelb.io/addresses': '192.0.2.250' } };
    const live = createIpam(validateServiceGroups(before));
    expect(show(decide(live, pinned))).toBe('192.0.2.250 Allocated');
    expect(live.allocationOf('ns/pinned')?.group).toBe('default');
    live.setGroups(validateServiceGroups(after));
    // What a new leader imports: the Service as the old one left it (before or after it reacted).
    for (const allocatedFrom of ['default', 'overlap']) {
      const shown = { ...pinned, ingress: ['192.0.2.250'], allocatedFrom };
      const fresh = createIpam(validateServiceGroups(after));
      const existing = serviceToExisting(service(shown));
      expect(fresh.importAllocations(existing === undefined ? [] : [existing]).issues).toEqual([]);
      const a = decide(live, shown);
      const b = decide(fresh, shown);
      expect(a.desire).toEqual(b.desire);
      expect([show(b), b.desire?.kind === 'hold' && b.desire.group]).toEqual(['192.0.2.250 Allocated', 'overlap']);
      expect(fresh.groupStats('overlap')?.IPv4.allocated).toBe(1n);
    }
  });

  it('reports what changed for metrics and requeueing', () => {
    const ipam = createIpam(validateServiceGroups(groups(['default', v4('192.0.2.10-192.0.2.12')])));
    const first = decide(ipam, { name: 'a' });
    expect([first.assigned, first.groups, first.released]).toEqual([true, ['default'], []]);
    const again = decide(ipam, { name: 'a', ingress: ['192.0.2.10'] });
    expect(again.assigned).toBe(false);
    const moved = decide(ipam, {
      name: 'a',
      ingress: ['192.0.2.10'],
      annotations: { 'purelb.io/addresses': '192.0.2.12' },
    });
    expect([show(moved), moved.released]).toEqual([
      '192.0.2.12 Allocated',
      [{ family: 'IPv4', address: '192.0.2.10' }],
    ]);
  });

  it('bounds hostile group annotations in its messages', () => {
    const ipam = createIpam(validateServiceGroups(groups(['default', v4('192.0.2.10-192.0.2.12')])));
    const named = decide(ipam, { name: 'a', annotations: { 'purelb.io/service-group': 'g'.repeat(102_400) } });
    expect(named.desire?.kind === 'hold' && [named.desire.reason, named.desire.message]).toEqual([
      'GroupNotFound',
      `service group "${'g'.repeat(76)}…" (102,400 characters) does not exist`,
    ]);
    // An address held from a group that exists nowhere (allocated-from edited by hand, the same name asked for) stays held.
    const imported = service({ name: 'b', ingress: ['203.0.113.1'], allocatedFrom: 'h'.repeat(102_400) });
    const existing = serviceToExisting(imported);
    ipam.importAllocations(existing === undefined ? [] : [existing]);
    const hostile = 'h'.repeat(102_400);
    const kept = decide(ipam, {
      name: 'b',
      ingress: ['203.0.113.1'],
      allocatedFrom: hostile,
      annotations: { 'purelb.io/service-group': hostile },
    });
    expect(kept.desire?.kind === 'hold' && [kept.desire.reason, kept.desire.message]).toEqual([
      'AddressOutsidePool',
      `203.0.113.1 lies outside every pool of service group "${'h'.repeat(76)}…" (102,400 characters); the address is kept until the Service is changed or deleted`,
    ]);
  });
});
