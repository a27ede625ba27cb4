import { formatCidr } from '@purelb/ipam-core';
import { describe, expect, it } from 'vitest';
import type { NetworkView } from './node-network.ts';
import { DEFAULT_CONFIG, parseAgentConfig } from './parse-agent-config.ts';
import type { AgentConfig } from './parse-agent-config.ts';
import { selectLocalInterfaces, subnetHolding } from './select-local-interfaces.ts';

const view: NetworkView = {
  links: [
    { index: 1, name: 'lo', up: true },
    { index: 2, name: 'eth0', up: true },
    { index: 3, name: 'eth1', up: true },
    { index: 4, name: 'kube-lb0', up: true },
  ],
  addresses: [
    { interface: 'lo', family: 'IPv4', address: '127.0.0.1', prefixLength: 8, ours: false },
    { interface: 'eth0', family: 'IPv4', address: '192.0.2.11', prefixLength: 24, ours: false },
    { interface: 'eth0', family: 'IPv4', address: '192.0.2.240', prefixLength: 24, ours: true },
    { interface: 'eth0', family: 'IPv4', address: '192.0.2.129', prefixLength: 25, ours: false },
    { interface: 'eth0', family: 'IPv6', address: 'fe80::1', prefixLength: 64, ours: false },
    { interface: 'eth1', family: 'IPv4', address: '198.51.100.11', prefixLength: 24, ours: false },
    { interface: 'eth1', family: 'IPv6', address: '2001:db8:1::11', prefixLength: 64, ours: false },
    { interface: 'kube-lb0', family: 'IPv4', address: '203.0.113.5', prefixLength: 24, ours: true },
  ],
  defaultRoutes: { IPv4: ['eth0'], IPv6: ['eth1'] },
};

const pattern = (p: string): AgentConfig => {
  const r = parseAgentConfig({ local: { localint: p } });
  if (!r.ok) throw new Error('bad pattern');
  return r.value;
};

const summary = (c: AgentConfig, v: NetworkView = view): Record<string, [string, string[]]> =>
  Object.fromEntries(
    Object.entries(selectLocalInterfaces(c, v)).map(([f, l]) => [f, [l.name, l.subnets.map(formatCidr)]]),
  );

describe('selectLocalInterfaces', () => {
  it('default: the default route interface per family, its own subnets most specific first (not ours, not link-local)', () => {
    expect(summary(DEFAULT_CONFIG)).toEqual({
      IPv4: ['eth0', ['192.0.2.128/25', '192.0.2.0/24']],
      IPv6: ['eth1', ['2001:db8:1::/64']],
    });
  });

  it('a pattern: the first matching interface with an address of the family', () => {
    expect(summary(pattern('^eth'))).toEqual({
      IPv4: ['eth0', ['192.0.2.128/25', '192.0.2.0/24']],
      IPv6: ['eth1', ['2001:db8:1::/64']],
    });
    expect(summary(pattern('1$'))).toEqual({
      IPv4: ['eth1', ['198.51.100.0/24']],
      IPv6: ['eth1', ['2001:db8:1::/64']],
    });
  });

  it('never the virtual interface or loopback; nothing when no interface qualifies', () => {
    expect(summary(pattern('^(lo|kube-lb0)$'))).toEqual({});
    expect(summary(DEFAULT_CONFIG, { ...view, defaultRoutes: { IPv4: ['kube-lb0', 'eth1'], IPv6: [] } })).toEqual({
      IPv4: ['eth1', ['198.51.100.0/24']],
    });
  });

  it('subnetHolding finds the most specific subnet holding an address', () => {
    const local = selectLocalInterfaces(DEFAULT_CONFIG, view).IPv4;
    expect(subnetHolding(local, '192.0.2.200')?.prefixLength).toBe(25);
    expect(subnetHolding(local, '192.0.2.5')?.prefixLength).toBe(24);
    expect(subnetHolding(local, '198.51.100.5')).toBeUndefined();
    expect(subnetHolding(undefined, '192.0.2.5')).toBeUndefined();
  });
});
