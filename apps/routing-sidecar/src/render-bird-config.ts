// A validated `RoutingConfig` → the text of a BIRD 2 configuration. Pure and deterministic: the same
// input gives the same bytes, so "did the configuration change" is a string comparison.
//
// What the daemon does with it: the `direct` protocol reads the connected routes of the agent's
// interface only (one per address, or one per aggregate); they go to every peer through an export
// filter that accepts nothing else and adds the communities; nothing is imported from the peers and
// nothing is written to the node's kernel. Every node of a cluster renders the same peers and
// attributes (only the router ID differs), so an upstream router sees equal paths and can spread
// traffic across them (ECMP).
import type { Community, PeerConfig, RoutingConfig } from './routing-config.ts';

export interface RenderFacts {
  /** The resolved router ID (an IPv4 address). */
  readonly routerId: string;
  /** Where the input came from, for the header comment, e.g. `ConfigMap purelb/purelb-routing`. */
  readonly source: string;
}

/** The name of the protocol that reads the interface's routes; the export filter accepts only its routes. */
export const DIRECT_PROTOCOL = 'purelb_addresses';

/** A stable BIRD symbol per peer (address and port, not position: reordering peers keeps sessions). */
export function peerProtocolName(peer: Pick<PeerConfig, 'address' | 'port'>): string {
  const base = `peer_${peer.address.replace(/[^0-9A-Za-z]/g, '_')}`;
  return peer.port === 179 ? base : `${base}_port_${peer.port}`;
}

function communityStatement(c: Community): string {
  switch (c.kind) {
    case 'standard':
      return `  bgp_community.add((${c.asn}, ${c.value}));`;
    case 'large':
      return `  bgp_large_community.add((${c.global}, ${c.local1}, ${c.local2}));`;
  }
}

function peerBlock(peer: PeerConfig): string[] {
  const lines = [
    `protocol bgp ${peerProtocolName(peer)} from purelb_peer {`,
    `  neighbor ${peer.address} port ${peer.port} as ${peer.asn};`,
  ];
  if (peer.password !== undefined) lines.push(`  password "${peer.password}";`);
  if (peer.multihop !== undefined) lines.push(`  multihop ${peer.multihop};`);
  for (const family of peer.families) {
    // IPv4 routes over an IPv6 session carry an IPv6 next hop (RFC 8950).
    const extended = family === 'ipv4' && peer.sessionFamily === 'ipv6' ? ' extended next hop on;' : '';
    lines.push(`  ${family} { import none; export filter purelb_export;${extended} };`);
  }
  lines.push('}');
  return lines;
}

export function renderBirdConfig(config: RoutingConfig, facts: RenderFacts): string {
  const t = config.timers;
  const lines = [
    `# Written by the PureLB routing sidecar from ${facts.source}; rewritten on every change, do not edit.`,
    `router id ${facts.routerId};`,
    'log stderr { info, remote, warning, error, auth, fatal, bug };',
    '',
    'protocol device {',
    '}',
    '',
    `# The node agent's virtual addresses: the connected routes of ${config.interface}, and nothing else.`,
    `protocol direct ${DIRECT_PROTOCOL} {`,
    '  ipv4;',
    '  ipv6;',
    `  interface "${config.interface}";`,
    '}',
    '',
    'filter purelb_export {',
    `  if proto != "${DIRECT_PROTOCOL}" then reject;`,
    ...config.communities.map(communityStatement),
    '  accept;',
    '}',
    '',
    'template bgp purelb_peer {',
    `  local as ${config.localAsn};`,
    `  hold time ${t.holdSeconds};`,
    `  keepalive time ${t.keepaliveSeconds};`,
    `  connect retry time ${t.connectRetrySeconds};`,
    `  connect delay time ${t.connectDelaySeconds};`,
    `  error wait time ${t.errorWaitSeconds}, ${t.errorWaitMaxSeconds};`,
    '}',
  ];
  for (const peer of config.peers) lines.push('', ...peerBlock(peer));
  return `${lines.join('\n')}\n`;
}
