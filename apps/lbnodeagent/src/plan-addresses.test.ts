import { describe, expect, it } from 'vitest';
import type { DesiredAddress } from './decide-node.ts';
import type { NetworkAddress, NetworkView } from './node-network.ts';
import { planAddresses } from './plan-addresses.ts';
import type { AddressAction } from './plan-addresses.ts';

const local = (address: string, over: Partial<DesiredAddress> = {}): DesiredAddress => ({
  address,
  family: address.includes(':') ? 'IPv6' : 'IPv4',
  interface: 'eth0',
  prefixLength: 24,
  kind: 'local',
  services: ['ns/web'],
  announce: true,
  ...over,
});
const virtual = (address: string, prefixLength = 24): DesiredAddress => ({
  ...local(address),
  interface: 'kube-lb0',
  prefixLength,
  kind: 'virtual',
  announce: false,
});

const on = (address: string, iface: string, prefixLength: number, ours: boolean): NetworkAddress => ({
  interface: iface,
  family: address.includes(':') ? 'IPv6' : 'IPv4',
  address,
  prefixLength,
  ours,
});

const links = [
  { index: 1, name: 'lo', up: true },
  { index: 2, name: 'eth0', up: true },
  { index: 3, name: 'kube-lb0', up: true },
];
const base: NetworkView = {
  links,
  addresses: [on('192.0.2.11', 'eth0', 24, false)],
  defaultRoutes: { IPv4: ['eth0'], IPv6: [] },
};

const brief = (actions: AddressAction[]): string[] =>
  actions.map((a) =>
    a.kind === 'ensure-link'
      ? `ensure ${a.interface} ${a.linkKind}`
      : `${a.kind} ${a.spec.address}/${a.spec.prefixLength} ${a.spec.interface}${a.kind === 'add' && a.local ? ' local' : ''}`,
  );

function plan(desired: DesiredAddress[], view: Partial<NetworkView> = {}, sendGarp = true): string[] {
  return brief(
    planAddresses({
      desired: new Map(desired.map((d) => [d.address, d])),
      view: { ...base, ...view },
      virtualInterface: 'kube-lb0',
      linkKind: 'dummy',
      sendGarp,
    }),
  );
}

describe('planAddresses', () => {
  it.each<[string, DesiredAddress[], Partial<NetworkView>, string[]]>([
    [
      'adds a local address and announces it',
      [local('192.0.2.240')],
      {},
      ['add 192.0.2.240/24 eth0 local', 'announce 192.0.2.240/24 eth0'],
    ],
    ['adds a virtual address without announcing it', [virtual('203.0.113.5')], {}, ['add 203.0.113.5/24 kube-lb0']],
    [
      'converged: nothing',
      [local('192.0.2.240')],
      { addresses: [...base.addresses, on('192.0.2.240', 'eth0', 24, true)] },
      [],
    ],
    [
      'removes an address of ours no Service needs (the sweep)',
      [],
      { addresses: [...base.addresses, on('192.0.2.250', 'eth0', 24, true), on('203.0.113.7', 'kube-lb0', 24, true)] },
      ['remove 192.0.2.250/24 eth0', 'remove 203.0.113.7/24 kube-lb0'],
    ],
    [
      'never removes an address that is not ours',
      [],
      { addresses: [...base.addresses, on('192.0.2.99', 'eth0', 24, false), on('203.0.113.1', 'kube-lb0', 32, false)] },
      [],
    ],
    [
      'an address someone else put where ours should be counts as present',
      [local('192.0.2.99')],
      { addresses: [...base.addresses, on('192.0.2.99', 'eth0', 32, false)] },
      [],
    ],
    [
      'moves an address of ours to the right interface',
      [local('192.0.2.240')],
      { addresses: [...base.addresses, on('192.0.2.240', 'kube-lb0', 24, true)] },
      ['remove 192.0.2.240/24 kube-lb0', 'add 192.0.2.240/24 eth0 local', 'announce 192.0.2.240/24 eth0'],
    ],
    [
      'fixes the prefix length of an address of ours',
      [virtual('203.0.113.5', 32)],
      { addresses: [on('203.0.113.5', 'kube-lb0', 24, true)] },
      ['remove 203.0.113.5/24 kube-lb0', 'add 203.0.113.5/32 kube-lb0'],
    ],
    [
      'creates the virtual interface when it is missing',
      [virtual('203.0.113.5')],
      { links: links.slice(0, 2) },
      ['ensure kube-lb0 dummy', 'add 203.0.113.5/24 kube-lb0'],
    ],
    [
      'brings the virtual interface up when it is down',
      [],
      { links: [...links.slice(0, 2), { index: 3, name: 'kube-lb0', up: false }] },
      ['ensure kube-lb0 dummy'],
    ],
  ])('%s', (_, desired, view, expected) => {
    expect(plan(desired, view)).toEqual(expected);
  });

  it('announces only addresses that another node announced last', () => {
    expect(plan([local('192.0.2.240', { announce: false })])).toEqual(['add 192.0.2.240/24 eth0 local']);
  });

  it('does not announce when sendgarp is off', () => {
    expect(plan([local('2001:db8:1::5', { prefixLength: 64 })], {}, false)).toEqual([
      'add 2001:db8:1::5/64 eth0 local',
    ]);
  });

  it('planning again against the result of the plan gives nothing', () => {
    const desired = [local('192.0.2.240'), virtual('203.0.113.5'), local('2001:db8:1::5', { prefixLength: 64 })];
    const after: NetworkView = {
      ...base,
      addresses: [...base.addresses, ...desired.map((d) => on(d.address, d.interface, d.prefixLength, true))],
    };
    expect(plan(desired, after)).toEqual([]);
  });
});
