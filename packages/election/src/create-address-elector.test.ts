// The incremental elector, step by step: each step is an update and the owner changes it must
// report (`address from→to`, `-` = nobody), threading one elector through the table.
import { describe, expect, it } from 'vitest';
import type { Candidate } from './candidate.ts';
import { createAddressElector } from './create-address-elector.ts';
import type { AddressElector, OwnerChange } from './create-address-elector.ts';

const BOTH = ['192.0.2.0/24', '2001:db8::/64'];
const node = (name: string, subnets: readonly string[] = BOTH, live = true): Candidate => ({ name, subnets, live });
const ADDRESSES = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '2001:db8::1', '2001:db8::2', '198.51.100.1'];

// Digest order of n1..n4 (every node eligible): 192.0.2.1 n4 n2 n1 n3; 192.0.2.2 n1 n4 n2 n3;
// 192.0.2.3 n2 n1 n3 n4; 192.0.2.4 n3 n2 n4 n1; 2001:db8::1 n4 n2 n3 n1; 2001:db8::2 n3 n2 n4 n1;
// 198.51.100.1 n2 n4 n3 n1.
const show = (changes: readonly OwnerChange[]): string[] =>
  changes.map((c) => `${c.address} ${c.from ?? '-'}→${c.to ?? '-'}`);

function must(
  r: { readonly ok: true; readonly value: readonly OwnerChange[] } | { readonly ok: false },
): readonly OwnerChange[] {
  if (!r.ok) throw new Error('update refused');
  return r.value;
}

const steps: readonly (readonly [string, (e: AddressElector) => readonly OwnerChange[], readonly string[]])[] = [
  [
    'track seven addresses: each gets its first owner',
    (e) => must(e.setAddresses(ADDRESSES)),
    [
      '192.0.2.1 -→n2',
      '192.0.2.2 -→n1',
      '192.0.2.3 -→n2',
      '192.0.2.4 -→n3',
      '198.51.100.1 -→n3',
      '2001:db8::1 -→n2',
      '2001:db8::2 -→n3',
    ],
  ],
  [
    'n4 joins: it takes only what it ranks first for',
    (e) => e.setCandidate(node('n4')),
    ['192.0.2.1 n2→n4', '2001:db8::1 n2→n4'],
  ],
  [
    'n2 dies: only what it won moves, to the next in line',
    (e) => e.setCandidate(node('n2', BOTH, false)),
    ['192.0.2.3 n2→n1'],
  ],
  ['n2 is live again', (e) => e.setCandidate(node('n2')), ['192.0.2.3 n1→n2']],
  [
    'n3 leaves; nobody else has 198.51.100.0/24',
    (e) => e.removeCandidate('n3'),
    ['192.0.2.4 n3→n2', '198.51.100.1 n3→-', '2001:db8::2 n3→n2'],
  ],
  [
    'n2 drops its IPv4 subnet',
    (e) => e.setCandidate(node('n2', ['2001:db8::/64'])),
    ['192.0.2.3 n2→n1', '192.0.2.4 n2→n4'],
  ],
  ['a preference for n4 on 192.0.2.2', (e) => must(e.addAddress('192.0.2.2', ['n4'])), ['192.0.2.2 n1→n4']],
  ['the same preference again changes nothing', (e) => must(e.addAddress('192.0.2.2', new Set(['n4']))), []],
  ['the preference goes', (e) => must(e.addAddress('192.0.2.2')), ['192.0.2.2 n4→n1']],
  ['an address is dropped, written another way', (e) => must(e.removeAddress('2001:DB8::0:1')), ['2001:db8::1 n4→-']],
  ['dropping an untracked address changes nothing', (e) => must(e.removeAddress('2001:db8::99')), []],
  [
    'the address set is replaced',
    (e) => must(e.setAddresses(['192.0.2.1', { address: '192.0.2.3', preferred: ['n4'] }])),
    ['192.0.2.2 n1→-', '192.0.2.3 n1→n4', '192.0.2.4 n4→-', '2001:db8::2 n2→-'],
  ],
  [
    'the candidates are replaced by n1 alone',
    (e) => e.setCandidates([node('n1')]),
    ['192.0.2.1 n4→n1', '192.0.2.3 n4→n1'],
  ],
  ['a node that changes nothing reports nothing', (e) => e.setCandidate(node('n1')), []],
  ['no candidates at all', (e) => e.setCandidates([]), ['192.0.2.1 n1→-', '192.0.2.3 n1→-']],
];

describe('createAddressElector', () => {
  it('reports exactly the owner changes of each update', () => {
    const elector = createAddressElector([node('n1'), node('n2'), node('n3', [...BOTH, '198.51.100.0/24'])]);
    const got = steps.map(([name, step]) => [name, show(step(elector))]);
    expect(got).toEqual(steps.map(([name, , want]) => [name, want]));
    expect([...elector.winners()]).toEqual([
      ['192.0.2.1', undefined],
      ['192.0.2.3', undefined],
    ]);
  });

  it('answers for any spelling of a tracked address', () => {
    const elector = createAddressElector([node('n1'), node('n2')]);
    must(elector.setAddresses(['2001:db8::1', '192.0.2.1']));
    expect(elector.winnerOf('2001:DB8:0::1')).toBe('n2');
    expect(elector.winnerOf('192.0.2.1')).toBe('n2');
    expect(elector.winnerOf('192.0.2.9')).toBeUndefined();
    expect(elector.winnerOf('nonsense')).toBeUndefined();
    expect(elector.winners()).toEqual(
      new Map([
        ['2001:db8::1', 'n2'],
        ['192.0.2.1', 'n2'],
      ]),
    );
  });

  it('refuses invalid addresses and then changes nothing', () => {
    const elector = createAddressElector([node('n1')]);
    must(elector.setAddresses(['192.0.2.1']));
    expect(elector.setAddresses(['192.0.2.2', '192.0.2.256', '2001:db8::g'])).toEqual({
      ok: false,
      errors: [
        { code: 'InvalidAddress', message: 'address 192.0.2.256 is not an IP address', address: '192.0.2.256' },
        { code: 'InvalidAddress', message: 'address 2001:db8::g is not an IP address', address: '2001:db8::g' },
      ],
    });
    expect(elector.addAddress('n1')).toMatchObject({ ok: false, error: { code: 'InvalidAddress', address: 'n1' } });
    expect(elector.removeAddress('')).toMatchObject({ ok: false, error: { code: 'InvalidAddress' } });
    expect(elector.winners()).toEqual(new Map([['192.0.2.1', 'n1']]));
  });

  it('merges an address listed twice, with the union of its preferences', () => {
    const elector = createAddressElector([node('n1'), node('n2'), node('n3'), node('n4')]);
    // 192.0.2.4: n3 n2 n4 n1
    const changes = must(
      elector.setAddresses([
        { address: '192.0.2.4', preferred: ['n1'] },
        { address: ' 192.0.2.4 ', preferred: ['n4'] },
      ]),
    );
    expect(show(changes)).toEqual(['192.0.2.4 -→n4']);
  });

  it('gives the full election of an address, ranking or reason', () => {
    const elector = createAddressElector([node('n1'), node('n2', BOTH, false), node('n3', ['198.51.100.0/24'])]);
    must(elector.addAddress('192.0.2.4', ['n1']));
    expect(elector.electionOf('192.0.2.4')).toMatchObject({
      ok: true,
      value: { winner: 'n1', rule: 'preferred', ranking: [{ node: 'n1', preferred: true }] },
    });
    expect(elector.electionOf('192.0.2.9')).toMatchObject({ ok: true, value: { winner: 'n1', rule: 'eligible' } });
    expect(elector.electionOf('203.0.113.1')).toMatchObject({
      ok: false,
      error: { code: 'NoEligibleNode', notLive: [], withoutSubnet: ['n1', 'n2', 'n3'] },
    });
    expect(createAddressElector().electionOf('192.0.2.4')).toMatchObject({
      ok: false,
      error: { code: 'NoCandidates' },
    });
  });

  it('refuses a rank depth that is not a positive integer', () => {
    expect(() => createAddressElector([], { rankDepth: 0 })).toThrow(RangeError);
  });
});
