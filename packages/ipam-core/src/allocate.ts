// SPEC §4: one request against the state. Plans every family first against the unchanged state and
// applies only when all of them can be satisfied, so a failure changes nothing.
import { boundText } from './bound-text.ts';
import type { IpFamily } from './address.ts';
import { DEFAULT_SERVICE_GROUP } from './allocation.ts';
import type { AllocatedAddress, AllocationError, AllocationRequest, AllocationResult, PortSpec } from './allocation.ts';
import { chooseFamilies } from './choose-families.ts';
import { entryValue, hasOtherUsers } from './family-space.ts';
import { poolHasFree } from './pool-space.ts';
import type { AddressEntry, PoolSpace, Value } from './family-space.ts';
import {
  entryOf,
  FAMILY_INDEXES,
  familyIndex,
  newRecord,
  samePorts,
  setEntry,
  toAllocatedAddress,
  toAllocation,
} from './ipam-state.ts';
import type { FamilyIndex, GroupState, IpamState, KeyRecord } from './ipam-state.ts';
import { groupError, invalidAnnotation, resolveRequested } from './resolve-requested.ts';
import type { Requested } from './resolve-requested.ts';
import { findSharingConflict } from './sharing-rule.ts';

type Plan =
  | { readonly kind: 'keep'; readonly fi: FamilyIndex; readonly entry: AddressEntry }
  | { readonly kind: 'join'; readonly fi: FamilyIndex; readonly entry: AddressEntry }
  | { readonly kind: 'take'; readonly fi: FamilyIndex; readonly value: Value }
  | { readonly kind: 'lowest'; readonly fi: FamilyIndex; readonly pool: PoolSpace };

interface Wanted {
  readonly key: string;
  readonly group: string;
  readonly sharingKey: string | undefined;
  readonly ports: readonly PortSpec[];
}

const FAMILIES: readonly [IpFamily, IpFamily] = ['IPv4', 'IPv6'];
const NO_PORTS: readonly PortSpec[] = [];
const NOTHING_REQUESTED: Requested = { values: [undefined, undefined], group: undefined };

/** What the plans of every family of one request share. */
interface Context {
  readonly state: IpamState;
  readonly want: Wanted;
  /** The key's record before this request, if it held anything. */
  readonly rec: KeyRecord | undefined;
  /** The wanted group, if it exists. */
  readonly gs: GroupState | undefined;
}

function planFamily(ctx: Context, fi: FamilyIndex, requested: Value | undefined): Plan | AllocationError {
  const { state, want, rec, gs } = ctx;
  const space = state.spaces[fi];
  const held = rec === undefined ? undefined : entryOf(rec, fi);
  const bound = want.sharingKey === undefined ? undefined : space.boundTo(want.group, want.sharingKey);
  const boundElsewhere = bound !== undefined && hasOtherUsers(bound, want.key) ? bound : undefined;
  if (requested !== undefined) {
    const entry = held !== undefined && entryValue(held) === requested ? held : space.get(requested);
    const error = entry === undefined ? undefined : findSharingConflict(state, entry, want);
    if (error !== undefined) return error;
    if (boundElsewhere !== undefined && boundElsewhere !== entry) {
      return invalidAnnotation(
        `sharing key ${boundText(want.sharingKey ?? '')} is bound to ${space.formatEntry(boundElsewhere)} in service group ${boundText(want.group)}, not to the requested ${space.format(requested)}`,
      );
    }
    if (entry === undefined) return { kind: 'take', fi, value: requested };
    return entry === held ? { kind: 'keep', fi, entry } : { kind: 'join', fi, entry };
  }
  if (boundElsewhere !== undefined) {
    const error = findSharingConflict(state, boundElsewhere, want);
    if (error !== undefined) return error;
    return boundElsewhere === held ? { kind: 'keep', fi, entry: held } : { kind: 'join', fi, entry: boundElsewhere };
  }
  if (
    held !== undefined &&
    (rec?.group === undefined || rec.group === want.group) &&
    findSharingConflict(state, held, want) === undefined
  ) {
    return { kind: 'keep', fi, entry: held };
  }
  if (gs?.check.ok !== true) return groupError(want.group, gs);
  for (const pool of gs.pools[fi]) {
    if (poolHasFree(pool)) return { kind: 'lowest', fi, pool };
  }
  const family = FAMILIES[fi];
  return {
    code: 'PoolExhausted',
    group: want.group,
    family,
    message: `no free ${family} address left in service group ${boundText(want.group)}`,
  };
}

/** The record being changed by one request, and the addresses it gave up so far. */
interface Change {
  readonly state: IpamState;
  readonly want: Wanted;
  readonly rec: KeyRecord;
  readonly released: AllocatedAddress[];
}

function apply(change: Change, plan: Plan): boolean {
  const { state, want, rec, released } = change;
  const space = state.spaces[plan.fi];
  const held = entryOf(rec, plan.fi);
  if (plan.kind === 'keep') {
    if (
      plan.entry.sharers === undefined &&
      (plan.entry.sharingKey !== want.sharingKey || plan.entry.group !== want.group)
    ) {
      space.rekey(plan.entry, want.group, want.sharingKey);
    }
    return false;
  }
  if (held !== undefined) {
    space.leave(held, rec.key);
    released.push(toAllocatedAddress(space, held));
  }
  let entry: AddressEntry | undefined;
  switch (plan.kind) {
    case 'join':
      space.join(plan.entry, rec.key);
      entry = plan.entry;
      break;
    case 'take':
      entry = space.hold(
        plan.value,
        { user: rec.key, group: want.group, sharingKey: want.sharingKey },
        { updateFree: true },
      );
      break;
    case 'lowest':
      entry = space.holdLowest(plan.pool, { user: rec.key, group: want.group, sharingKey: want.sharingKey });
      break;
  }
  setEntry(rec, plan.fi, entry);
  return true;
}

export function allocate(state: IpamState, request: AllocationRequest): AllocationResult {
  const key = request.key;
  if (key === '') return { ok: false, error: invalidAnnotation('the key is empty') };
  const rec = state.keys.get(key);
  const texts = request.requestedAddresses;
  const requested =
    texts === undefined || texts.length === 0
      ? NOTHING_REQUESTED
      : resolveRequested(state, texts, { rec, namedGroup: request.group });
  if ('code' in requested) return { ok: false, error: requested };
  const sharing = request.sharingKey === undefined ? '' : request.sharingKey.trim();
  const want: Wanted = {
    key,
    group: requested.group ?? request.group ?? DEFAULT_SERVICE_GROUP,
    sharingKey: sharing === '' ? undefined : sharing,
    ports: request.ports ?? NO_PORTS,
  };
  const gs = state.groups.get(want.group);
  const valid = gs?.check.ok === true;
  const recInGroup = rec !== undefined && (rec.group === undefined || rec.group === want.group);
  if (!valid && !recInGroup) return { ok: false, error: groupError(want.group, gs) };
  const [r4, r6] = requested.values;
  const families = chooseFamilies(request.ipFamilyPolicy, request.ipFamilies, {
    requested4: r4 !== undefined,
    requested6: r6 !== undefined,
    has4: valid ? gs.check.value.v4pools.length > 0 : recInGroup && rec.v4 !== undefined,
    has6: valid ? gs.check.value.v6pools.length > 0 : recInGroup && rec.v6 !== undefined,
  });
  if (typeof families === 'string') {
    if (!valid) return { ok: false, error: groupError(want.group, gs) };
    const message = `service group ${boundText(want.group)} has no ${families} pool`;
    return { ok: false, error: { code: 'FamilyUnavailable', group: want.group, family: families, message } };
  }
  for (const fi of FAMILY_INDEXES) {
    const v = requested.values[fi];
    if (v !== undefined && !families.includes(FAMILIES[fi])) {
      const text = state.spaces[fi].format(v);
      return {
        ok: false,
        error: invalidAnnotation(
          `requested address ${text} is ${FAMILIES[fi]} but the service gets ${families.join(' and ')} only`,
        ),
      };
    }
  }
  const ctx: Context = { state, want, rec, gs };
  const plans: Plan[] = [];
  for (const f of families) {
    const fi = familyIndex(f);
    const plan = planFamily(ctx, fi, requested.values[fi]);
    if ('code' in plan) return { ok: false, error: plan };
    plans.push(plan);
  }
  return commit(ctx, plans, families);
}

function commit(ctx: Context, plans: readonly Plan[], families: readonly IpFamily[]): AllocationResult {
  const { state, want, rec: existing } = ctx;
  const rec = existing ?? newRecord(want);
  if (existing === undefined) state.keys.add(want.key, rec);
  const released: AllocatedAddress[] = [];
  const change: Change = { state, want, rec, released };
  let changed = existing === undefined;
  for (const plan of plans) changed = apply(change, plan) || changed;
  for (const fi of FAMILY_INDEXES) {
    const held = entryOf(rec, fi);
    if (held === undefined || families.includes(FAMILIES[fi])) continue;
    state.spaces[fi].leave(held, rec.key);
    released.push(toAllocatedAddress(state.spaces[fi], held));
    setEntry(rec, fi, undefined);
    changed = true;
  }
  if (rec.group !== want.group || rec.sharingKey !== want.sharingKey || !samePorts(rec.ports, want.ports)) {
    rec.group = want.group;
    rec.sharingKey = want.sharingKey;
    rec.ports = want.ports;
    changed = true;
  }
  return { ok: true, value: toAllocation(state, rec), changed, released };
}
