// Invariants of the election on random inputs: determinism, independence from candidate order,
// eligibility of the winner, minimal disruption, balance, and the incremental elector always
// answering as a from-scratch election.
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candidate } from './candidate.ts';
import { hasSubnetFor, mergeCandidates } from './candidate.ts';
import { createAddressElector } from './create-address-elector.ts';
import type { AddressElector, OwnerChange } from './create-address-elector.ts';
import { electWinner } from './elect-winner.ts';
import { compareRanked } from './hash-candidate.ts';

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'node-7', 'worker-10'];
const SUBNETS = [
  '192.0.2.0/24',
  '192.0.2.0/25',
  '192.0.2.128/25',
  '198.51.100.0/24',
  '0.0.0.0/0',
  '2001:db8::/64',
  '2001:db8::/48',
  '2001:db8:0:1::/64',
];

const addressArb = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((i) => `192.0.2.${i}`),
  fc.integer({ min: 0, max: 3 }).map((i) => `198.51.100.${i}`),
  fc.integer({ min: 0, max: 0xffff }).map((i) => `2001:db8::${i.toString(16)}`),
  fc.integer({ min: 0, max: 3 }).map((i) => `2001:DB8:0:1::${i.toString(16)}`),
  fc.constant('203.0.113.1'),
);
const candidateArb: fc.Arbitrary<Candidate> = fc.record({
  name: fc.constantFrom(...NAMES),
  subnets: fc.subarray(SUBNETS, { maxLength: 3 }),
  live: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});
const uniqueCandidatesArb = fc.uniqueArray(candidateArb, { selector: (c) => c.name, maxLength: 7 });
const shuffledCandidatesArb = fc
  .array(candidateArb, { maxLength: 8 })
  .chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length })));
const preferredArb = fc.option(fc.subarray(NAMES, { maxLength: 3 }), { nil: undefined });

const canonical = (text: string): string => {
  const p = parseAddress(text);
  if (!p.ok) throw new Error(p.error.message);
  return formatAddress(p.value);
};
const winner = (
  address: string,
  candidates: readonly Candidate[],
  preferred?: Iterable<string>,
): string | undefined => {
  const r = electWinner({ address, candidates, preferred });
  return r.ok ? r.value.winner : undefined;
};

describe('electWinner properties', () => {
  it('same inputs, same result, whatever the order of the candidates (duplicates included)', () => {
    fc.assert(
      fc.property(addressArb, shuffledCandidatesArb, preferredArb, (address, [candidates, shuffled], preferred) => {
        const first = electWinner({ address, candidates, preferred });
        expect(electWinner({ address, candidates, preferred })).toEqual(first);
        expect(electWinner({ address, candidates: shuffled, preferred: preferred?.toReversed() })).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('the winner is eligible, chosen by the stated rule, and the ranking is every eligible node in order', () => {
    fc.assert(
      fc.property(
        addressArb,
        fc.array(candidateArb, { maxLength: 8 }),
        preferredArb,
        (address, candidates, preferred) => {
          const r = electWinner({ address, candidates, preferred });
          const records = mergeCandidates(candidates);
          const parsed = parseAddress(address);
          if (!parsed.ok) throw new Error(parsed.error.message);
          const eligible = [...records.values()]
            .filter((c) => c.live && hasSubnetFor(c, parsed.value))
            .map((c) => c.name);
          if (!r.ok) {
            expect(r.error.code).toBe(records.size === 0 ? 'NoCandidates' : 'NoEligibleNode');
            expect(eligible).toEqual([]);
            return;
          }
          const { ranking, rule } = r.value;
          expect(eligible).toContain(r.value.winner);
          expect(ranking.map((c) => c.node).sort()).toEqual(eligible.sort());
          const pref = new Set(preferred);
          expect(rule).toBe(eligible.some((n) => pref.has(n)) ? 'preferred' : 'eligible');
          const groups = [ranking.filter((c) => c.preferred), ranking.filter((c) => !c.preferred)];
          expect(ranking).toEqual(
            rule === 'preferred' ? groups.flat() : ranking.map((c) => ({ ...c, preferred: false })),
          );
          for (const g of groups) expect([...g].sort(compareRanked)).toEqual(g);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('removing a node moves only the addresses it won; adding a node moves addresses only to it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(addressArb, { maxLength: 20 }),
        fc.tuple(uniqueCandidatesArb, candidateArb),
        preferredArb,
        (addresses, [candidates, extra], preferred) => {
          const without = candidates.filter((c) => c.name !== extra.name);
          const withExtra = [...without, extra];
          for (const address of addresses) {
            const before = winner(address, without, preferred);
            const after = winner(address, withExtra, preferred);
            // Adding `extra` moves an address only to it; read backwards, removing `extra` moves only
            // the addresses it won.
            if (after !== before) expect(after).toBe(extra.name);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spreads 10,000 random addresses over 10 nodes within ±15 % of the mean', () => {
    const v4Arb = fc.integer({ min: 0, max: 0x1ffff }).map((i) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
    const v6Arb = fc
      .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
      .map(([x, y]) => `2001:db8:${x.toString(16)}::${y.toString(16)}`);
    const [addresses] = fc.sample(fc.uniqueArray(fc.oneof(v4Arb, v6Arb), { minLength: 10_000, maxLength: 10_000 }), {
      seed: 42,
      numRuns: 1,
    });
    const nodes = Array.from({ length: 10 }, (_, i) => ({
      name: `node-${i}`,
      subnets: ['198.18.0.0/15', '2001:db8::/32'],
      live: true,
    }));
    const counts = new Map<string, number>();
    for (const address of addresses ?? []) {
      const w = winner(address, nodes) ?? 'none';
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(nodes.map((n) => n.name));
    for (const [, count] of counts) {
      expect(count).toBeGreaterThanOrEqual(850);
      expect(count).toBeLessThanOrEqual(1150);
    }
  });
});

type Op =
  | { readonly kind: 'setCandidate'; readonly candidate: Candidate }
  | { readonly kind: 'removeCandidate'; readonly name: string }
  | { readonly kind: 'setCandidates'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'addAddress'; readonly address: string; readonly preferred: readonly string[] | undefined }
  | { readonly kind: 'removeAddress'; readonly address: string }
  | {
      readonly kind: 'setAddresses';
      readonly entries: readonly { readonly address: string; readonly preferred: readonly string[] | undefined }[];
    };

const entryArb = fc.record({ address: addressArb, preferred: preferredArb });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: candidateArb.map((candidate) => ({ kind: 'setCandidate' as const, candidate })) },
  { weight: 3, arbitrary: fc.constantFrom(...NAMES).map((name) => ({ kind: 'removeCandidate' as const, name })) },
  {
    weight: 1,
    arbitrary: fc
      .array(candidateArb, { maxLength: 8 })
      .map((candidates) => ({ kind: 'setCandidates' as const, candidates })),
  },
  { weight: 4, arbitrary: entryArb.map((e) => ({ kind: 'addAddress' as const, ...e })) },
  { weight: 2, arbitrary: addressArb.map((address) => ({ kind: 'removeAddress' as const, address })) },
  {
    weight: 1,
    arbitrary: fc.array(entryArb, { maxLength: 12 }).map((entries) => ({ kind: 'setAddresses' as const, entries })),
  },
);

/** The inputs the elector was given, kept plainly. */
interface Model {
  candidates: Candidate[];
  addresses: Map<string, ReadonlySet<string>>;
}

function apply(elector: AddressElector, model: Model, op: Op): readonly OwnerChange[] {
  const ok = (
    r: { readonly ok: true; readonly value: readonly OwnerChange[] } | { readonly ok: false },
  ): readonly OwnerChange[] => {
    if (!r.ok) throw new Error('refused');
    return r.value;
  };
  switch (op.kind) {
    case 'setCandidate':
      model.candidates = [...model.candidates.filter((c) => c.name !== op.candidate.name), op.candidate];
      return elector.setCandidate(op.candidate);
    case 'removeCandidate':
      model.candidates = model.candidates.filter((c) => c.name !== op.name);
      return elector.removeCandidate(op.name);
    case 'setCandidates':
      model.candidates = [...op.candidates];
      return elector.setCandidates(op.candidates);
    case 'addAddress':
      model.addresses.set(canonical(op.address), new Set(op.preferred));
      return ok(elector.addAddress(op.address, op.preferred));
    case 'removeAddress':
      model.addresses.delete(canonical(op.address));
      return ok(elector.removeAddress(op.address));
    case 'setAddresses': {
      model.addresses = new Map();
      for (const e of op.entries) {
        const key = canonical(e.address);
        model.addresses.set(key, new Set([...(model.addresses.get(key) ?? []), ...(e.preferred ?? [])]));
      }
      return ok(elector.setAddresses(op.entries));
    }
  }
}

const scratch = (model: Model): Map<string, string | undefined> =>
  new Map([...model.addresses].map(([address, preferred]) => [address, winner(address, model.candidates, preferred)]));

describe('createAddressElector properties', () => {
  it.each([1, 2, 3, 8])(
    'always equals a from-scratch election, winners and full elections, and reports exactly the owner changes (rank depth %i)',
    (rankDepth) => {
      fc.assert(
        fc.property(
          fc.array(candidateArb, { maxLength: 6 }),
          fc.array(opArb, { minLength: 1, maxLength: 40 }),
          (initial, ops) => {
            const elector = createAddressElector(initial, { rankDepth });
            const model: Model = { candidates: [...initial], addresses: new Map() };
            let before = scratch(model);
            for (const op of ops) {
              const changes = apply(elector, model, op);
              const after = scratch(model);
              expect(elector.winners()).toEqual(after);
              for (const [address, w] of after) expect(elector.winnerOf(address)).toBe(w);
              // The full election (ranking, or the reason for none) too, from the elector's merged records.
              for (const [address, preferred] of model.addresses)
                expect(elector.electionOf(address)).toEqual(
                  electWinner({ address, candidates: model.candidates, preferred }),
                );
              const keys = new Set([...before.keys(), ...after.keys()]);
              const expected = [...keys]
                .filter((k) => before.get(k) !== after.get(k))
                .map((k) => ({ address: k, from: before.get(k), to: after.get(k) }));
              expect(new Set(changes.map((c) => JSON.stringify(c)))).toEqual(
                new Set(expected.map((c) => JSON.stringify(c))),
              );
              expect(changes).toHaveLength(expected.length);
              if (op.kind === 'removeCandidate') for (const c of changes) expect(c.from).toBe(op.name);
              before = after;
            }
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
