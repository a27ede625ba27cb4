// The election as decide-node reads it, from @purelb/election's answers.
import type { AddressElector, ElectionResult } from '@purelb/election';
import type { ElectionView } from './decide-node.ts';

export function toElectionView(result: ElectionResult): ElectionView {
  if (result.ok) return { kind: 'winner', node: result.value.winner };
  switch (result.error.code) {
    case 'NoEligibleNode':
      return { kind: 'none', notLive: result.error.notLive };
    case 'NoCandidates':
    case 'InvalidAddress':
      return { kind: 'none', notLive: [] };
  }
}

/**
 * Winners from the incremental elector, read once per decision (addresses in canonical text); the
 * full election is run only for addresses without a winner.
 */
export function electionLookup(elector: AddressElector): (address: string) => ElectionView {
  const winners = elector.winners();
  return (address) => {
    const winner = winners.get(address);
    return winner === undefined ? toElectionView(elector.electionOf(address)) : { kind: 'winner', node: winner };
  };
}
