// The announcement part of `kubectl purelb explain`: for one address of a Service, local or virtual,
// and for a local one the election among the node agents' membership Leases, run again with
// @purelb/election as every agent runs it, next to what `purelb.io/announcing-IPvX` says.
import type { IpFamily } from '@purelb/ipam-core';
import { electAmong } from './members.ts';
import type { Member } from './members.ts';
import type { ServiceView } from './service-view.ts';

export interface ExplainSection {
  readonly title: string;
  readonly lines: readonly string[];
}

export interface AnnouncedAddress {
  readonly view: ServiceView;
  readonly family: IpFamily;
  readonly address: string;
}

export function announcementSection(
  { view, family, address }: AnnouncedAddress,
  members: readonly Member[],
): ExplainSection {
  const title = `Announcement of ${address} (${family})`;
  const who = view.announcing[family];
  const annotated =
    who === undefined
      ? `no purelb.io/announcing-${family}`
      : `purelb.io/announcing-${family} says ${who.node}${who.interface === undefined ? '' : ` on ${who.interface}`}`;
  if (view.poolType === 'virtual')
    return {
      title,
      lines: ['virtual (pool-type virtual): every node agent adds it to its virtual interface', annotated],
    };
  if (members.length === 0)
    return {
      title,
      lines: ['no node agent membership Lease (purelb-node-<node>) found: are the node agents running?', annotated],
    };
  const result = electAmong(address, members);
  if (!result.ok) {
    if (result.error.code !== 'NoEligibleNode') return { title, lines: [result.error.message, annotated] };
    const { notLive, withoutSubnet } = result.error;
    if (notLive.length === 0) {
      const policy = view.trafficPolicy === 'Local' ? ' that have a ready endpoint (externalTrafficPolicy Local)' : '';
      return {
        title,
        lines: [
          `virtual: no node has a subnet holding it, so every node${policy} adds it to its virtual interface`,
          annotated,
        ],
      };
    }
    const lines = [
      `local, but no live node has a subnet holding it (${withoutSubnet.length} node(s) without the subnet):`,
    ];
    for (const node of notLive)
      lines.push(`  ${node}: not live (${members.find((m) => m.node === node)?.why ?? 'unknown'})`);
    return { title, lines: [...lines, annotated] };
  }
  const election = result.value;
  const lines = [`local: elected among the live nodes with a subnet holding it (lowest SHA-256 of node#address wins)`];
  election.ranking.forEach((r, i) => {
    const mark = i === 0 ? '  <- winner' : i === 1 ? '  (takes over if the winner goes)' : '';
    lines.push(`  ${i + 1}. ${r.node} ${r.digest.slice(0, 12)}${mark}`);
  });
  for (const m of members) {
    if (!m.live && m.subnets.length > 0) lines.push(`  -  ${m.node}: not live (${m.why ?? 'unknown'})`);
  }
  const agrees =
    who === undefined
      ? ''
      : who.node === election.winner
        ? ' (agrees with the election)'
        : ' (differs from the election: the annotation may be stale, or the agents see other members)';
  lines.push(`${annotated}${agrees}`);
  return { title, lines };
}
