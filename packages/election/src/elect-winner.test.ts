// Scenario tables for one election: families, subnet lengths, nodes in two subnets or none, dead
// nodes, preference sets, and the reasons for no winner.
import { parseCidr } from '@purelb/ipam-core';
import { describe, expect, it } from 'vitest';
import type { Candidate } from './candidate.ts';
import { electWinner } from './elect-winner.ts';
import type { ElectionResult } from './election.ts';
import { hashCandidate } from './hash-candidate.ts';

const NODES: Readonly<Record<string, Candidate>> = {
  n1: { name: 'n1', subnets: ['192.0.2.0/24', '2001:db8::/64'], live: true },
  n2: { name: 'n2', subnets: ['192.0.2.0/25', '2001:db8::/48'], live: true },
  n3: { name: 'n3', subnets: ['198.51.100.0/24', '192.0.2.0/24'], live: true },
  n4: { name: 'n4', subnets: ['203.0.113.0/24'], live: true },
  n5: { name: 'n5', subnets: ['192.0.2.0/24'], live: false },
};
const ALL = Object.keys(NODES);

/** The result reduced to what a scenario states: winner, rule and ranking, or the failure. */
function summarise(r: ElectionResult): Record<string, unknown> {
  if (r.ok)
    return { winner: r.value.winner, rule: r.value.rule, ranking: r.value.ranking.map((c) => c.node).join(' ') };
  const e = r.error;
  switch (e.code) {
    case 'InvalidAddress':
    case 'NoCandidates':
      return { code: e.code };
    case 'NoEligibleNode':
      return { code: e.code, notLive: e.notLive.join(' '), withoutSubnet: e.withoutSubnet.join(' ') };
  }
}

const pick = (names: readonly string[]): Candidate[] =>
  names.map((n) => NODES[n] ?? { name: n, subnets: [], live: true });

describe('electWinner', () => {
  it.each(
    (
      [
        // address inside n1's and n3's /24 and n2's /25; n4 has no such subnet; n5 has it but is dead
        [
          'IPv4: the lowest digest among the live nodes with the subnet',
          '192.0.2.10',
          ALL,
          undefined,
          { winner: 'n2', rule: 'eligible', ranking: 'n2 n3 n1' },
        ],
        [
          'IPv4: outside the shorter subnet of n2',
          '192.0.2.200',
          ALL,
          undefined,
          { winner: 'n3', rule: 'eligible', ranking: 'n3 n1' },
        ],
        [
          'IPv4: the second subnet of n3 makes it the only eligible node',
          '198.51.100.5',
          ALL,
          undefined,
          { winner: 'n3', rule: 'eligible', ranking: 'n3' },
        ],
        [
          'IPv4: a node whose only subnet is elsewhere',
          '203.0.113.9',
          ALL,
          undefined,
          { winner: 'n4', rule: 'eligible', ranking: 'n4' },
        ],
        [
          'IPv6: /64 and /48 both hold it',
          '2001:db8::5',
          ALL,
          undefined,
          { winner: 'n1', rule: 'eligible', ranking: 'n1 n2' },
        ],
        [
          'IPv6: only the /48 holds it',
          '2001:db8:0:1::5',
          ALL,
          undefined,
          { winner: 'n2', rule: 'eligible', ranking: 'n2' },
        ],
        [
          'IPv6: any spelling elects as the canonical form',
          '2001:DB8:0:0::0:5',
          ALL,
          undefined,
          { winner: 'n1', rule: 'eligible', ranking: 'n1 n2' },
        ],
        [
          'surrounding whitespace is ignored',
          ' 192.0.2.10 ',
          ALL,
          undefined,
          { winner: 'n2', rule: 'eligible', ranking: 'n2 n3 n1' },
        ],
        [
          'a dead node is not eligible even when it would rank first',
          '192.0.2.10',
          ['n1', 'n5'],
          undefined,
          { winner: 'n1', rule: 'eligible', ranking: 'n1' },
        ],
        [
          'no live node has the subnet',
          '192.0.2.10',
          ['n4', 'n5'],
          undefined,
          { code: 'NoEligibleNode', notLive: 'n5', withoutSubnet: 'n4' },
        ],
        [
          'no node has an IPv6 subnet holding it',
          '2001:db8:1::5',
          ALL,
          undefined,
          { code: 'NoEligibleNode', notLive: '', withoutSubnet: 'n1 n2 n3 n4 n5' },
        ],
        [
          'IPv4 subnets never hold an IPv4-mapped IPv6 address',
          '::ffff:192.0.2.10',
          ALL,
          undefined,
          { code: 'NoEligibleNode', notLive: '', withoutSubnet: 'n1 n2 n3 n4 n5' },
        ],
        ['no candidates', '192.0.2.10', [], undefined, { code: 'NoCandidates' }],
        ['an invalid address', '192.0.2.300', ALL, undefined, { code: 'InvalidAddress' }],
        ['an invalid address even without candidates', 'node-a', [], undefined, { code: 'InvalidAddress' }],
        [
          'an empty preference set changes nothing',
          '192.0.2.10',
          ALL,
          [],
          { winner: 'n2', rule: 'eligible', ranking: 'n2 n3 n1' },
        ],
        [
          'a preference set disjoint from the eligible nodes changes nothing',
          '192.0.2.10',
          ALL,
          ['n4', 'n5', 'ghost'],
          { winner: 'n2', rule: 'eligible', ranking: 'n2 n3 n1' },
        ],
        [
          'an overlapping preference set: its best eligible node wins',
          '192.0.2.10',
          ALL,
          ['n1', 'n5'],
          { winner: 'n1', rule: 'preferred', ranking: 'n1 n2 n3' },
        ],
        [
          'preferred nodes rank first, each group by digest',
          '192.0.2.10',
          ALL,
          ['n1', 'n3'],
          { winner: 'n3', rule: 'preferred', ranking: 'n3 n1 n2' },
        ],
        [
          'every eligible node preferred is the plain order',
          '192.0.2.10',
          ALL,
          ['n1', 'n2', 'n3'],
          { winner: 'n2', rule: 'preferred', ranking: 'n2 n3 n1' },
        ],
      ] satisfies [string, string, readonly string[], readonly string[] | undefined, Record<string, unknown>][]
    ).map(([name, address, names, preferred, want]) => ({ name, address, names, preferred, want })),
  )('$name', ({ address, names, preferred, want }) => {
    expect(summarise(electWinner({ address, candidates: pick(names), preferred }))).toEqual(want);
  });

  it('explains itself: canonical address, family, digests and preference flags', () => {
    const r = electWinner({ address: '2001:DB8::5', candidates: pick(ALL), preferred: new Set(['n2']) });
    expect(r).toEqual({
      ok: true,
      value: {
        address: '2001:db8::5',
        family: 'IPv6',
        winner: 'n2',
        rule: 'preferred',
        ranking: [
          { node: 'n2', digest: hashCandidate('n2', '2001:db8::5'), preferred: true },
          { node: 'n1', digest: hashCandidate('n1', '2001:db8::5'), preferred: false },
        ],
      },
    });
  });

  it('names the address and the reason in one sentence', () => {
    expect(electWinner({ address: '192.0.2.300', candidates: pick(ALL) })).toEqual({
      ok: false,
      error: { code: 'InvalidAddress', message: 'address 192.0.2.300 is not an IP address', address: '192.0.2.300' },
    });
    expect(electWinner({ address: '', candidates: [] })).toMatchObject({
      error: { message: 'address (empty) is not an IP address' },
    });
    expect(electWinner({ address: '192.0.2.010', candidates: [] })).toMatchObject({
      error: { code: 'InvalidAddress' },
    });
    expect(electWinner({ address: '192.0.2.1', candidates: [] })).toEqual({
      ok: false,
      error: { code: 'NoCandidates', message: 'no candidate nodes for address 192.0.2.1', address: '192.0.2.1' },
    });
    expect(electWinner({ address: '192.0.2.10', candidates: pick(['n4', 'n5']) })).toMatchObject({
      error: {
        message: 'no live node has a subnet holding 192.0.2.10 (1 without the subnet, 1 not live)',
        address: '192.0.2.10',
      },
    });
  });

  it('takes parsed subnets as well as text', () => {
    const cidr = parseCidr('192.0.2.0/24');
    if (!cidr.ok) throw new Error(cidr.error.message);
    const parsed = electWinner({
      address: '192.0.2.10',
      candidates: ['n1', 'n2', 'n3'].map((name) => ({ name, subnets: [cidr.value], live: true })),
    });
    expect(parsed).toMatchObject({
      ok: true,
      value: { winner: 'n2', ranking: [{ node: 'n2' }, { node: 'n3' }, { node: 'n1' }] },
    });
  });

  it('a subnet written with host bits holds its whole block; unparsable subnet text holds nothing', () => {
    const candidates: Candidate[] = [
      { name: 'n1', subnets: ['192.0.2.77/24'], live: true },
      { name: 'n2', subnets: ['192.0.2.0/33', 'not a subnet'], live: true },
    ];
    expect(summarise(electWinner({ address: '192.0.2.10', candidates }))).toEqual({
      winner: 'n1',
      rule: 'eligible',
      ranking: 'n1',
    });
  });

  it('a name listed twice is one node, eligible when any of its entries is', () => {
    const candidates: Candidate[] = [
      { name: 'n1', subnets: ['192.0.2.0/24'], live: false },
      { name: 'n2', subnets: ['192.0.2.0/24'], live: true },
      { name: 'n1', subnets: ['192.0.2.0/25'], live: true },
      { name: 'n2', subnets: [], live: false },
    ];
    const r = electWinner({ address: '192.0.2.10', candidates });
    expect(summarise(r)).toEqual({ winner: 'n2', rule: 'eligible', ranking: 'n2 n1' });
    expect(summarise(electWinner({ address: '192.0.2.200', candidates }))).toEqual({
      winner: 'n2',
      rule: 'eligible',
      ranking: 'n2',
    });
  });
});
