// The vocabulary of the ServiceGroup conformance table (servicegroup-table.ts): what a rejection
// means and how each side words it, the verdicts, and the builders the cases are written with.

/** What a rejection means, whichever side words it. */
export type Meaning =
  | 'Required'
  | 'Forbidden'
  | 'NotAString'
  | 'TooLong'
  | 'TooMany'
  | 'NoPool'
  | 'PoolSyntax'
  | 'SubnetSyntax'
  | 'MixedFamilies'
  | 'Backwards'
  | 'WrongFamily'
  | 'AggregationSyntax'
  | 'AggregationRange'
  | 'OutsideSubnet'
  | 'Overlap'
  | 'NotABoolean'
  | 'NotAList'
  | 'TooManyExcluded'
  | 'ExcludeSyntax';

/** How each side says it: the API server's cause (reason, message) and ipam-core's error message. */
export const MEANINGS: Readonly<Record<Meaning, { readonly crd: RegExp; readonly core: RegExp }>> = {
  Required: { crd: /^FieldValueRequired: Required value/, core: /^required\b/ },
  Forbidden: {
    crd: /^FieldValueForbidden: Forbidden: /,
    core: /^(set either .* not both|the single-pool form .* cannot be combined|(aggregation|exclude) at this level belongs to the single-pool form)/,
  },
  NotAString: {
    crd: /^FieldValueTypeInvalid: Invalid value: "\w+": .* must be of type string/,
    core: /^must be a string$/,
  },
  TooLong: { crd: /^FieldValueTooLong: Too long: may not be more than \d+ bytes/, core: /^must be at most \d+ bytes$/ },
  TooMany: {
    crd: /^FieldValueTooMany: Too many: \d+: must have at most 64 items/,
    core: /^must have at most 64 pools$/,
  },
  NoPool: {
    crd: /^FieldValueRequired: Required value: a group needs at least one pool/,
    core: /^the group has no pool$/,
  },
  PoolSyntax: {
    crd: /^FieldValueInvalid: Invalid value: .*: must be a CIDR .* or a range of two addresses/,
    core: /is not a valid address range or CIDR/,
  },
  SubnetSyntax: { crd: /^FieldValueInvalid: Invalid value: .*: must be a CIDR \(/, core: /is not a valid CIDR/ },
  MixedFamilies: {
    crd: /^FieldValueInvalid: Invalid value: .*: a range must not mix IPv4 and IPv6 addresses$/,
    core: /^range mixes IPv4 and IPv6/,
  },
  Backwards: {
    crd: /^FieldValueInvalid: Invalid value: .*: the range starts after it ends/,
    core: /^range start .* is after its end/,
  },
  WrongFamily: {
    crd: /^FieldValueInvalid: Invalid value: (.*: must be IPv[46] \(|subnet ".*" and pool ".*" are of different IP families)/,
    core: /is IPv[46] but (is listed under|the pool is)/,
  },
  AggregationSyntax: {
    crd: /^FieldValueInvalid: Invalid value: .*: must be "default" or "\/N"$/,
    core: /^aggregation must be "default" or "\/N"/,
  },
  AggregationRange: {
    crd: /^FieldValueInvalid: Invalid value: .*(must be from \/8 to \/(32|128) for IPv[46]|must be from \/8 to \/32 for an IPv4 subnet)$/,
    core: /^aggregation must be "default" or "\/N" with N from 8 to (32|128)/,
  },
  NotABoolean: {
    crd: /^FieldValueTypeInvalid: Invalid value: "\w+": .* must be of type boolean/,
    core: /^must be a boolean$/,
  },
  NotAList: { crd: /^FieldValueTypeInvalid: Invalid value: "\w+": .* must be of type array/, core: /^must be a list$/ },
  TooManyExcluded: {
    crd: /^FieldValueTooMany: Too many: \d+: must have at most 16 items/,
    core: /^must have at most 16 entries$/,
  },
  ExcludeSyntax: {
    crd: /^FieldValueInvalid: Invalid value: .*: must be an address, a CIDR or a range of two addresses/,
    core: /is not a valid address,? range or CIDR/,
  },
  // Never said by the API server: these need more than one field (see the core-only cases).
  OutsideSubnet: { crd: /(?!)/, core: /is not inside subnet/ },
  Overlap: { crd: /(?!)/, core: /overlaps|contains|is inside|is the same/ },
};

export type Verdict =
  /** Valid on its face: both accept. */
  | { readonly kind: 'accepted' }
  /** Both reject, at `path` (among others they may find), meaning the same. */
  | { readonly kind: 'rejected'; readonly path: string; readonly meaning: Meaning }
  /** The API server accepts; ipam-core rejects, for the reason given (the allocator reports it on `Ready`). */
  | { readonly kind: 'core-only'; readonly path: string; readonly meaning: Meaning; readonly why: string };

export interface Case {
  readonly name: string;
  /** The ServiceGroup's `spec` (undefined: the object has none). */
  readonly spec: unknown;
  readonly verdict: Verdict;
}

export const V4 = '192.0.2.0/24';
export const V6 = '2001:db8::/64';
export const ok: Verdict = { kind: 'accepted' };
export const no = (path: string, meaning: Meaning): Verdict => ({ kind: 'rejected', path, meaning });
export const v4 = (pool: string, extra: Record<string, unknown> = {}): unknown => ({
  local: { v4pools: [{ pool, subnet: V4, ...extra }] },
});
export const v6 = (pool: string, extra: Record<string, unknown> = {}): unknown => ({
  local: { v6pools: [{ pool, subnet: V6, ...extra }] },
});
export const legacy = (local: Record<string, unknown>): unknown => ({ local });
export const V4P = 'spec.local.v4pools[0]';
export const V6P = 'spec.local.v6pools[0]';
