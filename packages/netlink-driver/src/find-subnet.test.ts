import { describe, expect, it } from 'vitest';
import { findSubnetIn } from './find-subnet.ts';
import type { Address } from './netlink-driver.ts';

const flags = {
  noPrefixRoute: false,
  noDad: false,
  tentative: false,
  dadFailed: false,
  deprecated: false,
  secondary: false,
};
const address = (link: string, cidr: string, extra: Partial<Address> = {}): Address => {
  const [text = '', prefix = '0'] = cidr.split('/');
  return {
    link,
    linkIndex: link.length,
    family: text.includes(':') ? 'IPv6' : 'IPv4',
    address: text,
    prefixLength: Number(prefix),
    scope: 'global',
    flags,
    protocol: 0,
    owned: false,
    ...extra,
  };
};

describe('findSubnetIn', () => {
  const addresses = [
    address('eth0', '192.0.2.10/24'),
    address('eth1', '192.0.2.130/25'),
    address('lo', '127.0.0.1/8', { scope: 'host' }),
    address('eth0', '2001:db8::10/64'),
    address('eth0', '198.51.100.5/24', { owned: true, protocol: 80 }),
    address('eth0', '2001:db8:1::10/64', { flags: { ...flags, tentative: true } }),
  ];

  it.each([
    ['192.0.2.200', undefined, { link: 'eth1', prefixLength: 25, subnet: '192.0.2.128/25', address: '192.0.2.130' }],
    ['192.0.2.20', undefined, { link: 'eth0', prefixLength: 24, subnet: '192.0.2.0/24' }],
    ['192.0.2.200', 'eth0', { link: 'eth0', prefixLength: 24 }],
    ['2001:db8::ffff', undefined, { link: 'eth0', subnet: '2001:db8::/64' }],
  ])('puts %s in the longest matching subnet (link %s)', (target, link, expected) => {
    expect(findSubnetIn(addresses, target, link)).toMatchObject(expected);
  });

  it.each([
    ['198.51.100.9', 'a subnet only an address we added makes'],
    ['127.0.0.2', 'a host-scoped address'],
    ['2001:db8:1::1', 'a tentative address'],
    ['203.0.113.1', 'no address'],
    ['192.0.2.20', 'another link', 'eth9'],
  ])('finds nothing for %s (%s)', (target, _why, link?: string) => {
    expect(findSubnetIn(addresses, target, link)).toBeUndefined();
  });
});
