// What an election answers: a winner with the rule that chose it and the full ranking, or the
// reason there is none.
import type { IpFamily } from '@purelb/ipam-core';

/**
 * Which rule chose the winner: `preferred` when some eligible node is in the preferred set (the
 * winner is the best of those), `eligible` otherwise (the best of all eligible nodes).
 */
export type ElectionRule = 'preferred' | 'eligible';

/** One eligible node in the order in which it would take the address. */
export interface RankedCandidate {
  readonly node: string;
  /** Lower-case hex SHA-256 of `${node}#${address}`. */
  readonly digest: string;
  /** Whether the node is in the preferred set. */
  readonly preferred: boolean;
}

/** A decided election. */
export interface Election {
  /** The address in canonical text form. */
  readonly address: string;
  readonly family: IpFamily;
  readonly winner: string;
  readonly rule: ElectionRule;
  /**
   * Every eligible node, best first: under `preferred`, the preferred ones by digest, then the
   * others by digest; under `eligible`, all by digest. `ranking[0].node` is the winner and
   * `ranking[1]` the node that takes over when the winner goes.
   */
  readonly ranking: readonly RankedCandidate[];
}

/** Why an election has no winner. Closed union: it may grow in a minor release. */
export type ElectionFailureCode = 'InvalidAddress' | 'NoCandidates' | 'NoEligibleNode';

/** The address text does not parse as an IPv4 or IPv6 address. */
export interface InvalidAddressFailure {
  readonly code: 'InvalidAddress';
  readonly message: string;
  /** The text as given. */
  readonly address: string;
}

/** The candidate list is empty. */
export interface NoCandidatesFailure {
  readonly code: 'NoCandidates';
  readonly message: string;
  /** The address in canonical text form. */
  readonly address: string;
}

/** No live candidate has a subnet holding the address. */
export interface NoEligibleNodeFailure {
  readonly code: 'NoEligibleNode';
  readonly message: string;
  /** The address in canonical text form. */
  readonly address: string;
  /** Candidates with a subnet holding the address that are not live, sorted. */
  readonly notLive: readonly string[];
  /** Candidates without a subnet holding the address, sorted. */
  readonly withoutSubnet: readonly string[];
}

export type ElectionFailure = InvalidAddressFailure | NoCandidatesFailure | NoEligibleNodeFailure;

export type ElectionResult =
  { readonly ok: true; readonly value: Election } | { readonly ok: false; readonly error: ElectionFailure };
