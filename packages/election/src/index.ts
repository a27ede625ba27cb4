// @purelb/election: which live node announces each local address, by rendezvous hashing.

export type { Candidate, SubnetInput } from './candidate.ts';
export type {
  Election,
  ElectionFailure,
  ElectionFailureCode,
  ElectionResult,
  ElectionRule,
  InvalidAddressFailure,
  NoCandidatesFailure,
  NoEligibleNodeFailure,
  RankedCandidate,
} from './election.ts';
export type { ElectionRequest } from './elect-winner.ts';
export { electWinner } from './elect-winner.ts';
export { hashCandidate } from './hash-candidate.ts';
export type {
  AddressElector,
  AddressElectorOptions,
  AddressEntry,
  AddressesUpdate,
  AddressUpdate,
  OwnerChange,
} from './create-address-elector.ts';
export { createAddressElector } from './create-address-elector.ts';
