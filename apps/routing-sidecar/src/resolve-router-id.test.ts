import { describe, expect, it } from 'vitest';
import { resolveRouterId } from './resolve-router-id.ts';
import type { HostAddresses } from './resolve-router-id.ts';

const host: HostAddresses = {
  hostIp: '192.0.2.11',
  interfaces: {
    eth0: [
      { address: '2001:db8:1::11', family: 'IPv6' },
      { address: '192.0.2.11', family: 'IPv4' },
    ],
    lo6: [{ address: '::1', family: 'IPv6' }],
  },
};

describe('resolveRouterId', () => {
  it.each([
    ['the host IP', { kind: 'host-ip' } as const, host, { ok: true, value: '192.0.2.11' }],
    [
      'the first IPv4 of an interface',
      { kind: 'interface', name: 'eth0' } as const,
      host,
      { ok: true, value: '192.0.2.11' },
    ],
    [
      'no host IP',
      { kind: 'host-ip' } as const,
      { ...host, hostIp: undefined },
      'hostIP cannot give a router ID: no host IP was given (--host-ip, HOST_IP); use interface:NAME',
    ],
    [
      'an IPv6 host IP',
      { kind: 'host-ip' } as const,
      { ...host, hostIp: '2001:db8::1' },
      'hostIP cannot give a router ID: the host IP 2001:db8::1 is not IPv4; use interface:NAME',
    ],
    [
      'an interface without IPv4',
      { kind: 'interface', name: 'lo6' } as const,
      host,
      'interface lo6 has no IPv4 address to take the router ID from',
    ],
    [
      'a missing interface',
      { kind: 'interface', name: 'eth9' } as const,
      host,
      'interface eth9 has no IPv4 address to take the router ID from',
    ],
  ])('%s', (_name, source, facts, expected) => {
    const r = resolveRouterId(source, facts);
    if (typeof expected === 'string')
      expect(r).toEqual({ ok: false, error: { code: 'InvalidRouterId', path: 'routerID', message: expected } });
    else expect(r).toEqual(expected);
  });
});
