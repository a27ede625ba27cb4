import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRoutingConfig, ROUTING_CONFIG_KEY } from './parse-routing-config.ts';
import { peerProtocolName, renderBirdConfig } from './render-bird-config.ts';
import type { RoutingConfig } from './routing-config.ts';

const config = (yaml: string): RoutingConfig => {
  const r = parseRoutingConfig({ [ROUTING_CONFIG_KEY]: yaml });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
};
const facts = { routerId: '192.0.2.11', source: 'ConfigMap purelb/purelb-routing' };

const FULL = `
localASN: 64512
communities: ["64512:100", "4200000000:7:8"]
timers: { hold: 3, keepalive: 1, connectRetry: 1, connectDelay: 1, errorWait: 1, errorWaitMax: 2 }
peers:
  - { address: 192.0.2.1, asn: 64500, password: s3cret }
  - { address: "2001:db8:1::1", asn: 64500, families: [ipv6, ipv4], port: 1179, multihop: 2 }
`;

describe('renderBirdConfig', () => {
  it('renders the interface, the export filter, the timers and one session per peer', () => {
    expect(renderBirdConfig(config(FULL), facts))
      .toBe(`# Written by the PureLB routing sidecar from ConfigMap purelb/purelb-routing; rewritten on every change, do not edit.
router id 192.0.2.11;
log stderr { info, remote, warning, error, auth, fatal, bug };

protocol device {
}

# The node agent's virtual addresses: the connected routes of kube-lb0, and nothing else.
protocol direct purelb_addresses {
  ipv4;
  ipv6;
  interface "kube-lb0";
}

filter purelb_export {
  if proto != "purelb_addresses" then reject;
  bgp_community.add((64512, 100));
  bgp_large_community.add((4200000000, 7, 8));
  accept;
}

template bgp purelb_peer {
  local as 64512;
  hold time 3;
  keepalive time 1;
  connect retry time 1;
  connect delay time 1;
  error wait time 1, 2;
}

protocol bgp peer_192_0_2_1 from purelb_peer {
  neighbor 192.0.2.1 port 179 as 64500;
  password "s3cret";
  ipv4 { import none; export filter purelb_export; };
}

protocol bgp peer_2001_db8_1__1_port_1179 from purelb_peer {
  neighbor 2001:db8:1::1 port 1179 as 64500;
  multihop 2;
  ipv6 { import none; export filter purelb_export; };
  ipv4 { import none; export filter purelb_export; extended next hop on; };
}
`);
  });

  it.each([
    ['the same input', FULL, FULL, true],
    [
      'peers in another order',
      'localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2 }, { address: 192.0.2.2, asn: 2 }]',
      'localASN: 1\npeers: [{ address: 192.0.2.2, asn: 2 }, { address: 192.0.2.1, asn: 2 }]',
      false,
    ],
    [
      'another community',
      'localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      'localASN: 1\ncommunities: ["1:1"]\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      false,
    ],
  ])('is deterministic: %s → same text %s', (_name, a, b, same) => {
    expect(renderBirdConfig(config(a), facts) === renderBirdConfig(config(b), facts)).toBe(same);
  });

  it('names a peer by address and port, so reordering keeps each session', () => {
    expect(peerProtocolName({ address: '192.0.2.1', port: 179 })).toBe('peer_192_0_2_1');
    expect(peerProtocolName({ address: '2001:db8::1', port: 1179 })).toBe('peer_2001_db8__1_port_1179');
  });

  it('is accepted by BIRD itself (bird -p)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'purelb-render-'));
    try {
      for (const [i, yaml] of [
        FULL,
        'localASN: 4294967295\nrouterID: interface:eth0\npeers: [{ address: "2001:db8::2", asn: 1 }]',
      ].entries()) {
        const file = join(dir, `bird-${i}.conf`);
        writeFileSync(file, renderBirdConfig(config(yaml), facts));
        expect(() => execFileSync('bird', ['-p', '-c', file], { stdio: 'pipe' })).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
