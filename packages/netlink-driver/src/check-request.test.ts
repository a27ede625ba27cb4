import { describe, expect, it } from 'vitest';
import { checkAddressRef, checkAddressSpec, checkLinkKind, checkLinkName } from './check-request.ts';
import { errnoCode, kernelFailure } from './driver-error.ts';

describe('request checks', () => {
  it.each([
    [
      { link: 'eth0', address: '192.0.2.1', prefixLength: 33 },
      'prefix length 33 is out of range for IPv4 address 192.0.2.1',
    ],
    [
      { link: 'eth0', address: '2001:db8::1', prefixLength: -1 },
      'prefix length -1 is out of range for IPv6 address 2001:db8::1',
    ],
    [
      { link: 'eth0', address: '2001:db8::1', prefixLength: 64.5 },
      'prefix length 64.5 is out of range for IPv6 address 2001:db8::1',
    ],
    [{ link: 'eth0', address: '192.0.2.300', prefixLength: 24 }, '"192.0.2.300" is not an IP address'],
    [{ link: '', address: '192.0.2.1', prefixLength: 24 }, '"" is not a valid link name'],
    [
      { link: 'sixteen-chars-xx', address: '192.0.2.1', prefixLength: 24 },
      '"sixteen-chars-xx" is not a valid link name',
    ],
    [{ link: 'a/b', address: '192.0.2.1', prefixLength: 24 }, '"a/b" is not a valid link name'],
  ])('refuses %j with EINVAL', (ref, message) => {
    expect(checkAddressRef('addAddress', ref)).toEqual({
      ok: false,
      error: { code: 'EINVAL', op: 'addAddress', message },
    });
  });

  it('canonicalises the address and keeps nodad for IPv6 only', () => {
    const v6 = checkAddressSpec('addAddress', {
      link: 'eth0',
      address: '2001:DB8:0:0::1',
      prefixLength: 64,
      noDad: true,
    });
    expect(v6.ok && [v6.value.address.text, v6.value.noDad, v6.value.noPrefixRoute]).toEqual([
      '2001:db8::1',
      true,
      false,
    ]);
    const v4 = checkAddressSpec('addAddress', {
      link: 'eth0',
      address: '192.0.2.1',
      prefixLength: 32,
      noDad: true,
      noPrefixRoute: true,
    });
    expect(v4.ok && [v4.value.noDad, v4.value.noPrefixRoute, [...v4.value.address.bytes]]).toEqual([
      false,
      true,
      [192, 0, 2, 1],
    ]);
  });

  it('knows the link kinds it creates and the link names Linux takes', () => {
    expect(checkLinkKind('ensureLink', 'ifb')).toEqual({ ok: true, value: 'ifb' });
    expect(checkLinkKind('ensureLink', 'veth')).toMatchObject({ ok: false, error: { code: 'EINVAL' } });
    expect(checkLinkName('ensureLink', 'kube-lb0')).toBeUndefined();
  });

  it('names kernel errors by errno and keeps the number of unknown ones', () => {
    expect(errnoCode(17)).toBe('EEXIST');
    expect(kernelFailure('deleteAddress', 71, 'deleting 192.0.2.1/32 from eth0')).toEqual({
      ok: false,
      error: {
        code: 'Unknown',
        op: 'deleteAddress',
        message: 'deleting 192.0.2.1/32 from eth0 failed: the kernel answered errno 71',
        errno: 71,
      },
    });
  });
});
